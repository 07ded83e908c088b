package io.prosima.testnet;

import io.prosima.node.cli.ProsimaCli;
import io.prosima.testnet.bench.BenchIngestCommand;
import io.prosima.testnet.bench.BenchTestnetCommand;
import io.prosima.testnet.demo.DemoCommand;
import io.prosima.testnet.launch.TestnetCommand;
import io.prosima.testnet.sim.SimCommand;
import picocli.CommandLine;

/**
 * Main class of the runnable {@code prosima} jar: node's command line plus {@code prosima testnet}.
 * It lives in testnet because node must not depend on testnet.
 */
public final class ProsimaMain {
  private ProsimaMain() {}

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** {@link ProsimaCli#newCommandLine()} with the {@code testnet} subcommand added. */
  public static CommandLine newCommandLine() {
    CommandLine cli = ProsimaCli.newCommandLine();
    cli.addSubcommand("testnet", new CommandLine(new TestnetCommand()));
    cli.addSubcommand("demo", new CommandLine(new DemoCommand()));
    cli.addSubcommand("sim", new CommandLine(new SimCommand()));
    cli.getSubcommands().get("bench").addSubcommand("testnet", new BenchTestnetCommand());
    cli.getSubcommands().get("bench").addSubcommand("ingest", new BenchIngestCommand());
    // A testnet that cannot start is an operating error too: one line, no trace.
    CommandLine.IExecutionExceptionHandler nodeHandler = cli.getExecutionExceptionHandler();
    // Settings reach only the subcommands present when set: hand the error handler on.
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof io.prosima.testnet.launch.LaunchException) {
            commandLine.getErr().println("error: " + ex.getMessage());
            return 1;
          }
          return nodeHandler.handleExecutionException(ex, commandLine, parseResult);
        });
    return cli;
  }
}
