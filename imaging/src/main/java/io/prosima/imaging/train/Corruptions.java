package io.prosima.imaging.train;

import java.util.Random;

/** Noise models used in training and evaluation. Pixels are in [0, 1]. */
public final class Corruptions {
  /** Training noise levels: sigma drawn uniformly from this range. */
  public static final double SIGMA_MIN = 0.01;

  public static final double SIGMA_MAX = 0.12;

  private Corruptions() {}

  /** x + N(0, sigma^2), not clipped. */
  public static float[] gaussian(float[] clean, double sigma, Random random) {
    float[] out = new float[clean.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (clean[i] + sigma * random.nextGaussian());
    }
    return out;
  }

  /**
   * Rician noise, the magnitude of a complex signal with Gaussian noise on both channels: sqrt((x +
   * n1)^2 + n2^2). This is the noise of magnitude MR images.
   */
  public static float[] rician(float[] clean, double sigma, Random random) {
    float[] out = new float[clean.length];
    for (int i = 0; i < out.length; i++) {
      double re = clean[i] + sigma * random.nextGaussian();
      double im = sigma * random.nextGaussian();
      out[i] = (float) Math.sqrt(re * re + im * im);
    }
    return out;
  }

  /** A training corruption: Gaussian or Rician (equal odds), sigma uniform in [min, max]. */
  public static float[] randomTraining(float[] clean, Random random) {
    double sigma = SIGMA_MIN + (SIGMA_MAX - SIGMA_MIN) * random.nextDouble();
    return random.nextBoolean() ? gaussian(clean, sigma, random) : rician(clean, sigma, random);
  }
}
