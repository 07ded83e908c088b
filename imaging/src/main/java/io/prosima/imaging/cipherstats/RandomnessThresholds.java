package io.prosima.imaging.cipherstats;

/**
 * Critical values of the NPCR and UACI randomness tests of Wu, Noonan and Agaian, "NPCR and UACI
 * randomness tests for image encryption", Cyber Journals JSAT, April 2011. For two independent
 * uniformly random cipher images of M pixels with values 0..F:
 *
 * <ul>
 *   <li>NPCR has mean F/(F+1); the test passes at level α when NPCR ≥ N*_α = (F − z_α·√(F/M)) /
 *       (F+1), where z_α is the upper α quantile of N(0,1) (the paper writes Φ^-1(α) for it).
 *   <li>UACI has mean μ = (F+2)/(3F+3) and variance σ² = (F+2)(F²+2F+3) / (18(F+1)²·M·F); the test
 *       passes when UACI lies in [μ − z_{α/2}·σ, μ + z_{α/2}·σ].
 * </ul>
 *
 * For 256×256 8-bit images these give N*_0.05 = 99.5693 % and the UACI interval [33.2824 %, 33.6447
 * %], as in the paper's Tables 2 and 3.
 */
public final class RandomnessThresholds {
  /** Largest value of an 8-bit sample. */
  public static final int BYTE_VALUE_MAX = 255;

  private RandomnessThresholds() {}

  /** Expected NPCR of two random cipher images, as a fraction. */
  public static double npcrExpected(int valueMax) {
    return valueMax / (valueMax + 1.0);
  }

  /** NPCR critical value N*_α as a fraction: NPCR below it fails the test. */
  public static double npcrCritical(long pixels, int valueMax, double alpha) {
    checkAlpha(alpha);
    double f = valueMax;
    double z = NormalQuantile.inverseCdf(1 - alpha);
    return (f - z * Math.sqrt(f / pixels)) / (f + 1);
  }

  /** Expected UACI of two random cipher images, as a fraction. */
  public static double uaciExpected(int valueMax) {
    double f = valueMax;
    return (f + 2) / (3 * f + 3);
  }

  /** Standard deviation of UACI for two random cipher images of {@code pixels} pixels. */
  public static double uaciSigma(long pixels, int valueMax) {
    double f = valueMax;
    return Math.sqrt((f + 2) * (f * f + 2 * f + 3) / (18 * (f + 1) * (f + 1) * pixels * f));
  }

  /** The UACI acceptance interval {low, high} at level α, as fractions. */
  public static double[] uaciInterval(long pixels, int valueMax, double alpha) {
    checkAlpha(alpha);
    double z = NormalQuantile.inverseCdf(1 - alpha / 2);
    double mu = uaciExpected(valueMax);
    double sigma = uaciSigma(pixels, valueMax);
    return new double[] {mu - z * sigma, mu + z * sigma};
  }

  private static void checkAlpha(double alpha) {
    if (!(alpha > 0 && alpha < 0.5)) {
      throw new IllegalArgumentException("alpha = " + alpha + " outside (0, 0.5)");
    }
  }
}
