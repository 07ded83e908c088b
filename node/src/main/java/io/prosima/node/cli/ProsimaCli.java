package io.prosima.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one `prosima` command line. Errors print one line to stderr and exit non-zero. */
@Command(
    name = "prosima",
    mixinStandardHelpOptions = true,
    version = "prosima 0.1.0",
    description = "Permissioned blockchain node for medical image provenance.",
    subcommands = {
      GenesisCommand.class,
      KeysCommand.class,
      NodeCommand.class,
      TxCommand.class,
      ValidatorCommand.class,
      QueryCommand.class,
      BenchCommand.class,
      ImageCommand.class,
      ModelCommand.class,
    })
public final class ProsimaCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The configured command line; tests run commands through this too. */
  public static CommandLine newCommandLine() {
    CommandLine cli = new CommandLine(new ProsimaCli());
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          // Operating errors (bad input, I/O, refused requests) are one clear line, no trace.
          if (ex instanceof CliException || ex instanceof java.io.IOException) {
            commandLine.getErr().println("error: " + ex.getMessage());
            return 1;
          }
          if (ex instanceof IllegalArgumentException) {
            commandLine.getErr().println("error: " + ex.getMessage());
            return 2;
          }
          throw ex;
        });
    return cli;
  }
}
