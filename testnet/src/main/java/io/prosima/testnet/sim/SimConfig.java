package io.prosima.testnet.sim;

import java.util.Arrays;

/**
 * One simulation run. Faults (drops, duplicates, partitions, crashes) happen only before {@code
 * faultsEndMs}; delays and reordering happen throughout. All times are simulated milliseconds.
 *
 * @param weights voting weight per validator
 * @param byzantine mode per validator; their total weight must stay below 1/3
 * @param targetHeights every honest node must commit at least this many heights
 * @param livenessHeights after faults end, every honest node must commit this many more heights
 * @param livenessWindowMs ... within this long after faults end
 * @param sabotage a deliberate break of the model, for tests of the checkers; NONE otherwise
 */
public record SimConfig(
    long seed,
    long[] weights,
    ByzantineMode[] byzantine,
    long delayMsMin,
    long delayMsMax,
    double dropProbability,
    double duplicateProbability,
    boolean partitions,
    int crashes,
    double clockSkewMax,
    long faultsEndMs,
    int targetHeights,
    int livenessHeights,
    long livenessWindowMs,
    Sabotage sabotage) {

  public SimConfig {
    if (weights.length != byzantine.length || weights.length < 1) {
      throw new IllegalArgumentException("one Byzantine mode per validator");
    }
    long total = Arrays.stream(weights).sum();
    long bad = 0;
    for (int i = 0; i < weights.length; i++) {
      if (byzantine[i] != ByzantineMode.HONEST) {
        bad += weights[i];
      }
    }
    if (3 * bad >= total && sabotage != Sabotage.BYZANTINE_THIRD_OR_MORE) {
      throw new IllegalArgumentException("Byzantine weight " + bad + " of " + total + " >= 1/3");
    }
    if (delayMsMin < 0 || delayMsMax < delayMsMin) {
      throw new IllegalArgumentException("delay range");
    }
    if (clockSkewMax < 0 || clockSkewMax >= 0.5) {
      throw new IllegalArgumentException("clockSkewMax must be in [0, 0.5)");
    }
  }

  /** A run with no faults at all, for figures. */
  public static SimConfig faultFree(long seed, long[] weights, long delayMs, int heights) {
    ByzantineMode[] modes = new ByzantineMode[weights.length];
    Arrays.fill(modes, ByzantineMode.HONEST);
    return new SimConfig(
        seed,
        weights,
        modes,
        delayMs,
        delayMs,
        0,
        0,
        false,
        0,
        0,
        0,
        heights,
        0,
        60_000,
        Sabotage.NONE);
  }

  boolean isByzantine(int validator) {
    return byzantine[validator] != ByzantineMode.HONEST;
  }

  @Override
  public String toString() {
    return "SimConfig[seed="
        + seed
        + ", weights="
        + Arrays.toString(weights)
        + ", byzantine="
        + Arrays.toString(byzantine)
        + ", delayMs="
        + delayMsMin
        + ".."
        + delayMsMax
        + ", drop="
        + dropProbability
        + ", dup="
        + duplicateProbability
        + ", partitions="
        + partitions
        + ", crashes="
        + crashes
        + ", skew="
        + clockSkewMax
        + ", faultsEndMs="
        + faultsEndMs
        + (sabotage == Sabotage.NONE ? "" : ", sabotage=" + sabotage)
        + "]";
  }
}
