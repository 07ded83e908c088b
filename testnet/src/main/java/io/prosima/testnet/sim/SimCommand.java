package io.prosima.testnet.sim;

import io.prosima.node.cli.CliException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code prosima sim soak|figures}: the deterministic simulator outside the test suite. */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    description = "Deterministic BFT simulator: long soaks and protocol figures.",
    subcommands = {SimCommand.Soak.class, SimCommand.Figures.class})
public final class SimCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "soak",
      mixinStandardHelpOptions = true,
      description =
          "Run many seeds (faults, crashes, Byzantine twins; all checkers); stop at the first"
              + " failure and print its seed.")
  static final class Soak implements Callable<Integer> {
    @Option(names = "--seeds", defaultValue = "10000", description = "How many seeds.")
    long seeds;

    @Option(names = "--start", defaultValue = "1000000", description = "First seed.")
    long start;

    @Option(
        names = "--membership",
        description =
            "Also change the validator set in each run: a validator joins (syncs from genesis,"
                + " then votes) and one leaves, by approved change transactions.")
    boolean membership;

    @Override
    public Integer call() {
      if (seeds < 1 || start < 0) {
        throw new CliException("need --seeds >= 1 and --start >= 0");
      }
      return SimSoak.soak(start, seeds, membership, System.out) ? 0 : 1;
    }
  }

  @Command(
      name = "figures",
      mixinStandardHelpOptions = true,
      description =
          "Messages per block and simulated commit latency for 4, 7, 10 and 20 validators with 1 ms"
              + " and 20 ms links (no faults).")
  static final class Figures implements Callable<Integer> {
    @Option(names = "--heights", defaultValue = "50", description = "Heights per run.")
    int heights;

    @Option(names = "--seeds", defaultValue = "1", description = "Runs averaged per row.")
    int seeds;

    @Override
    public Integer call() {
      if (heights < 1 || seeds < 1) {
        throw new CliException("need --heights >= 1 and --seeds >= 1");
      }
      SimFigures.print(heights, seeds, System.out);
      return 0;
    }
  }
}
