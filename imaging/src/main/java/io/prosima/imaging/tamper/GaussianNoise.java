package io.prosima.imaging.tamper;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.train.Corruptions;
import java.util.Locale;
import java.util.Random;

/**
 * Additive Gaussian noise of standard deviation {@code sigma} on every pixel, clipped to [0, 1] (a
 * stored copy cannot hold values outside); the training corruption's own noise model.
 */
public record GaussianNoise(double sigma) implements BenignEdit {
  @Override
  public String name() {
    return String.format(Locale.ROOT, "gaussian s%.2f", sigma);
  }

  @Override
  public GrayImage apply(GrayImage clean, Random random) {
    return new GrayImage(
            clean.width(), clean.height(), Corruptions.gaussian(clean.pixels(), sigma, random))
        .clippedToUnit();
  }
}
