package io.prosima.testnet.sim;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * Prints simulated figures for fault-free runs: messages per block and simulated milliseconds per
 * committed block for 4, 7 and 10 equal-weight validators over 1 ms and 20 ms links, and the client
 * transactions submitted and committed per run. Transaction gossip is counted apart ({@code
 * tx_sent/block}), so the message figures measure consensus alone. Simulated time, not wall time:
 * these measure the protocol (message delays, round structure), not the machine.
 *
 * <p>Run: {@code java -cp <testnet classpath> io.prosima.testnet.sim.SimFigures [heights [seeds]]}
 */
public final class SimFigures {
  static final int DEFAULT_HEIGHTS = 50;
  static final int DEFAULT_SEEDS = 1;

  /** The validator counts the issue asks figures for (CI seeds use {@link Scenarios#SIZES}). */
  static final int[] FIGURE_SIZES = {4, 7, 10, 20};

  private SimFigures() {}

  public static void main(String[] args) {
    int heights = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_HEIGHTS;
    int seeds = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_SEEDS;
    print(heights, seeds, System.out);
  }

  /**
   * Prints one row per validator count and link delay, each the mean over seeds 1 to {@code seeds}
   * (with fixed delays and no faults, a seed changes only the clients' transactions).
   */
  public static void print(int heights, int seeds, PrintStream out) {
    if (heights < 1 || seeds < 1) {
      throw new IllegalArgumentException("heights and seeds must be at least 1");
    }
    out.println(
        "validators link_ms heights broadcasts/block sent/block sim_ms/block max_round"
            + " txs_submitted/run txs_committed/run tx_sent/block store_bytes/tx");
    for (int n : FIGURE_SIZES) {
      for (long delayMs : new long[] {1, 20}) {
        long[] weights = new long[n];
        Arrays.fill(weights, 1);
        double broadcasts = 0;
        double sent = 0;
        double ms = 0;
        double submitted = 0;
        double committed = 0;
        double txSent = 0;
        double storeBytes = 0;
        long maxRound = 0;
        for (long seed = 1; seed <= seeds; seed++) {
          SimResult r = new Simulation(SimConfig.faultFree(seed, weights, delayMs, heights)).run();
          broadcasts += r.broadcastsPerBlock() / seeds;
          sent += r.sentPerBlock() / seeds;
          ms += r.msPerBlock() / seeds;
          submitted += (double) r.txsSubmitted() / seeds;
          committed += (double) r.txsCommitted() / seeds;
          txSent += r.heights() == 0 ? 0 : (double) r.txGossipMessages() / r.heights() / seeds;
          storeBytes += r.storeBytesPerCommittedTx() / seeds;
          maxRound = Math.max(maxRound, r.maxRound());
        }
        out.printf(
            "%10d %7d %7d %16.1f %10.1f %12.1f %9d %17.1f %17.1f %13.1f %14.0f%n",
            n,
            delayMs,
            heights,
            broadcasts,
            sent,
            ms,
            maxRound,
            submitted,
            committed,
            txSent,
            storeBytes);
      }
    }
  }
}
