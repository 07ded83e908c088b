package io.prosima.imaging.tamper;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.model.ImageReconstructor;
import java.io.IOException;
import java.util.Locale;
import java.util.Random;

/**
 * G's own reconstruction of a noisy copy: Gaussian noise {@code sigma} (clipped, as a stored file
 * is), then G conditioned on E of that noisy copy, exactly what `prosima image reconstruct IN OUT`
 * does without a chain. A denoised copy must not be called tampered.
 */
public record GeneratorRoundTrip(ImageReconstructor model, double sigma) implements BenignEdit {
  @Override
  public String name() {
    return String.format(Locale.ROOT, "G(gaussian s%.2f)", sigma);
  }

  @Override
  public GrayImage apply(GrayImage clean, Random random) throws IOException {
    GrayImage noisy = new GaussianNoise(sigma).apply(clean, random);
    return model.reconstruct(noisy);
  }
}
