package io.prosima.testnet.sim;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Derives a whole run from one seed, so {@code -Dprosima.sim.seed=SEED} alone replays it: the
 * validator count (4, 7 or 10 by seed mod 3), equal or unequal weights (by seed / 3 mod 2),
 * Byzantine validators below 1/3 of the weight, and the network faults.
 */
public final class Scenarios {
  static final int[] SIZES = {4, 7, 10};
  static final long UNEQUAL_WEIGHT_MAX = 5;

  private Scenarios() {}

  public static int validators(long seed) {
    return SIZES[(int) Math.floorMod(seed, 3)];
  }

  public static SimConfig forSeed(long seed) {
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 1);
    int n = validators(seed);
    boolean equal = Math.floorMod(seed / 3, 2) == 0;
    long[] weights = new long[n];
    do {
      for (int i = 0; i < n; i++) {
        weights[i] = equal ? 1 : rng.nextLong(1, UNEQUAL_WEIGHT_MAX + 1);
      }
    } while (!noneAtThird(weights));
    long total = Arrays.stream(weights).sum();
    ByzantineMode[] modes = new ByzantineMode[n];
    Arrays.fill(modes, ByzantineMode.HONEST);
    // Two runs in three have Byzantine validators, as much weight as stays strictly below 1/3.
    if (rng.nextInt(3) != 0) {
      long bad = 0;
      for (int i = 0; i < n; i++) {
        int v = rng.nextInt(n);
        if (modes[v] == ByzantineMode.HONEST && 3 * (bad + weights[v]) < total) {
          modes[v] =
              rng.nextBoolean() ? ByzantineMode.EQUIVOCATING_PROPOSER : ByzantineMode.DOUBLE_VOTER;
          bad += weights[v];
        }
      }
    }
    boolean slow = rng.nextBoolean();
    return new SimConfig(
        seed,
        weights,
        modes,
        1,
        slow ? 20 : 5,
        rng.nextDouble(0, 0.1),
        rng.nextDouble(0, 0.1),
        rng.nextInt(5) < 2,
        rng.nextInt(3),
        rng.nextDouble(0, 0.1),
        rng.nextLong(500, 2500),
        n >= 10 ? 5 : 6,
        3,
        60_000,
        Sabotage.NONE);
  }

  private static boolean noneAtThird(long[] weights) {
    long total = Arrays.stream(weights).sum();
    for (long w : weights) {
      if (3 * w >= total) {
        return false;
      }
    }
    return true;
  }
}
