package io.prosima.testnet.sim;

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
    for (long seed = from; seed < to; seed++) {
      try {
        new Simulation(Scenarios.forSeed(seed)).run();
      } catch (SimulationFailure e) {
        System.out.println("FAILED " + e.getMessage());
        System.exit(1);
      }
      if ((seed - from + 1) % PROGRESS_EVERY_SEEDS == 0) {
        System.out.println("seeds " + from + ".." + seed + " passed");
      }
    }
    System.out.println("all seeds " + from + ".." + (to - 1) + " passed");
  }
}
