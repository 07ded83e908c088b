package io.prosima.imaging.tamper;

import java.util.Arrays;

/**
 * Chooses a detection threshold from benign images alone: the lowest threshold at which at most a
 * fraction {@code rate} of them would be flagged. Scores are "higher = more suspicious" and an
 * image is flagged when its score is strictly above the threshold.
 */
public final class FalseAlarmThreshold {
  private FalseAlarmThreshold() {}

  /**
   * The threshold: the (k+1)-th highest benign score, k = floor(rate * n), so at most k benign
   * images score above it (fewer when scores tie).
   */
  public static double choose(double[] benignScores, double rate) {
    if (benignScores.length == 0) {
      throw new IllegalArgumentException("no benign scores to choose a threshold from");
    }
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("false-alarm rate must be in [0, 1): " + rate);
    }
    double[] s = benignScores.clone();
    Arrays.sort(s);
    int k = (int) Math.floor(rate * s.length);
    return s[s.length - 1 - k];
  }

  /** How many of {@code scores} are above {@code threshold}. */
  public static int above(double[] scores, double threshold) {
    int n = 0;
    for (double v : scores) {
      n += v > threshold ? 1 : 0;
    }
    return n;
  }
}
