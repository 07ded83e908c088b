package io.prosima.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `prosima bench …`: benchmarks that print figures (never run as tests). */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks; each prints its figures.",
    subcommands = {
      BenchLedgerCommand.class,
      FragmentsBenchCommand.class,
      ReconstructBenchCommand.class,
      RetrievalBenchCommand.class,
      TamperBenchCommand.class
    })
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
