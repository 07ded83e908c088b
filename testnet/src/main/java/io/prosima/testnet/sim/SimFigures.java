package io.prosima.testnet.sim;

/**
 * Prints simulated figures for fault-free runs: messages per block and simulated milliseconds per
 * committed block for 4, 7 and 10 equal-weight validators over 1 ms and 20 ms links. Simulated
 * time, not wall time: these measure the protocol (message delays, round structure), not the
 * machine.
 *
 * <p>Run: {@code java -cp <testnet classpath> io.prosima.testnet.sim.SimFigures [heights]}
 */
public final class SimFigures {
  static final int DEFAULT_HEIGHTS = 50;

  private SimFigures() {}

  public static void main(String[] args) {
    int heights = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_HEIGHTS;
    System.out.println(
        "validators link_ms heights broadcasts/block sent/block sim_ms/block max_round");
    for (int n : Scenarios.SIZES) {
      for (long delayMs : new long[] {1, 20}) {
        long[] weights = new long[n];
        java.util.Arrays.fill(weights, 1);
        SimResult r = new Simulation(SimConfig.faultFree(1, weights, delayMs, heights)).run();
        System.out.printf(
            "%10d %7d %7d %16.1f %10.1f %12.1f %9d%n",
            n,
            delayMs,
            heights,
            r.broadcastsPerBlock(),
            r.sentPerBlock(),
            r.msPerBlock(),
            r.maxRound());
      }
    }
  }
}
