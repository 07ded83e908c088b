package io.prosima.imaging.tamper;

import io.prosima.imaging.io.GrayImage;

/**
 * A malicious edit of one square region: it changes pixels inside {@code region} only, and the same
 * inputs always give the same output (the case's randomness is drawn before, by {@link
 * TamperCases}).
 */
public interface LocalEdit {
  /** The report's class label, e.g. "copy-move". */
  String name();

  /** Side of the square region the edit needs. */
  int sidePx();

  /** The edited copy; pixels outside {@code region} are exactly those of {@code image}. */
  GrayImage apply(GrayImage image, Region region);
}
