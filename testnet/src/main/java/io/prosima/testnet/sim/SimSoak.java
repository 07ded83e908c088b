package io.prosima.testnet.sim;

import java.io.PrintStream;

/**
 * The long soak: runs seeds {@code from} (inclusive) to {@code to} (exclusive) through {@link
 * Scenarios} and stops at the first failure, printing its seed. Not part of {@code mvn verify}.
 *
 * <p>Run: {@code java -cp <testnet classpath> io.prosima.testnet.sim.SimSoak 0 100000}
 */
public final class SimSoak {
  static final long PROGRESS_EVERY_SEEDS = 100;

  private SimSoak() {}

  public static void main(String[] args) {
    long from = args.length > 0 ? Long.parseLong(args[0]) : 0;
    long to = args.length > 1 ? Long.parseLong(args[1]) : from + 10_000;
    if (!soak(from, to - from, System.out)) {
      System.exit(1);
    }
  }

  /**
   * Runs {@code seeds} seeds from {@code start}; returns false at the first failure, after printing
   * it (with its seed).
   */
  public static boolean soak(long start, long seeds, PrintStream out) {
    return soak(start, seeds, false, out);
  }

  /**
   * As {@link #soak(long, long, PrintStream)}; with {@code membership}, each seed whose scenario
   * allows it also has a validator join and one leave (issue 17).
   */
  public static boolean soak(long start, long seeds, boolean membership, PrintStream out) {
    if (seeds < 0) {
      throw new IllegalArgumentException("seeds must not be negative");
    }
    long txsSubmitted = 0;
    long txsCommitted = 0;
    long runsWithChanges = 0;
    long changesDecided = 0;
    for (long seed = start; seed < start + seeds; seed++) {
      try {
        Simulation sim = new Simulation(Scenarios.forSeed(seed), membership);
        SimResult r = sim.run();
        if (sim.changesValidators()) {
          runsWithChanges++;
          changesDecided += sim.changesDecided();
        }
        txsSubmitted += r.txsSubmitted();
        txsCommitted += r.txsCommitted();
      } catch (SimulationFailure e) {
        out.println("FAILED " + e.getMessage());
        return false;
      }
      if ((seed - start + 1) % PROGRESS_EVERY_SEEDS == 0) {
        out.println(
            "seeds "
                + start
                + ".."
                + seed
                + " passed (txs submitted "
                + txsSubmitted
                + ", committed "
                + txsCommitted
                + ")");
      }
    }
    out.println(
        "all seeds "
            + start
            + ".."
            + (start + seeds - 1)
            + " passed (txs submitted "
            + txsSubmitted
            + ", committed "
            + txsCommitted
            + (membership
                ? ", runs with validator changes "
                    + runsWithChanges
                    + ", changes decided "
                    + changesDecided
                : "")
            + ")");
    return true;
  }
}
