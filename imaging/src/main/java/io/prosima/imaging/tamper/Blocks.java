package io.prosima.imaging.tamper;

import io.prosima.imaging.io.GrayImage;

/** Pixel block copying shared by the copy-move and splice edits. */
final class Blocks {
  private Blocks() {}

  /** {@code image} with {@code to} overwritten by the pixels of {@code from} at {@code source}. */
  static GrayImage paste(GrayImage image, GrayImage from, Region source, Region to) {
    if (source.side() != to.side()) {
      throw new IllegalArgumentException("source and target regions differ in size");
    }
    if (!source.fits(from.width(), from.height()) || !to.fits(image.width(), image.height())) {
      throw new IllegalArgumentException("region outside the image");
    }
    float[] px = image.pixels();
    for (int dy = 0; dy < to.side(); dy++) {
      for (int dx = 0; dx < to.side(); dx++) {
        px[(to.y() + dy) * image.width() + to.x() + dx] =
            from.get(source.x() + dx, source.y() + dy);
      }
    }
    return new GrayImage(image.width(), image.height(), px);
  }
}
