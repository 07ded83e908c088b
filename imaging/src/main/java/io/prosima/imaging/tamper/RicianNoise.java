package io.prosima.imaging.tamper;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.train.Corruptions;
import java.util.Locale;
import java.util.Random;

/**
 * Rician noise of parameter {@code sigma} (the noise of magnitude MR images: sqrt((x + n1)^2 +
 * n2^2)), clipped to [0, 1]. Unlike Gaussian noise it lifts the dark background.
 */
public record RicianNoise(double sigma) implements BenignEdit {
  @Override
  public String name() {
    return String.format(Locale.ROOT, "rician s%.2f", sigma);
  }

  @Override
  public GrayImage apply(GrayImage clean, Random random) {
    return new GrayImage(
            clean.width(), clean.height(), Corruptions.rician(clean.pixels(), sigma, random))
        .clippedToUnit();
  }
}
