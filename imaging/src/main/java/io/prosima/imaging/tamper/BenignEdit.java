package io.prosima.imaging.tamper;

import io.prosima.imaging.io.GrayImage;
import java.io.IOException;
import java.util.Random;

/** A benign change of the whole image (noise, requantisation, compression, denoising). */
public interface BenignEdit {
  /** Short label for the report, e.g. "gaussian s0.03". */
  String name();

  /** The changed copy, pixels in [0, 1]; {@code random} is the only source of randomness. */
  GrayImage apply(GrayImage clean, Random random) throws IOException;
}
