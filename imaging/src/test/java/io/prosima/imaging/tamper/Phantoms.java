package io.prosima.imaging.tamper;

import io.prosima.imaging.io.GrayImage;

/** Synthetic 256x256 test images: a textured "head" disc on a black background. */
final class Phantoms {
  private Phantoms() {}

  /**
   * Disc of radius 100 at the centre, tissue 0.3-0.8 with texture of a few pixels, black around.
   */
  static GrayImage head(int variant) {
    int side = 256;
    float[] px = new float[side * side];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        if (Math.hypot(x - 128, y - 128) < 100) {
          px[y * side + x] =
              (float)
                  (0.55
                      + 0.15 * Math.sin((x + 7 * variant) / 3.0)
                      + 0.1 * Math.cos((y - 3 * variant) / 5.0));
        }
      }
    }
    return new GrayImage(side, side, px);
  }

  /** Pixels that differ between two images of the same size, as {x, y} pairs. */
  static java.util.List<int[]> changed(GrayImage a, GrayImage b) {
    java.util.List<int[]> out = new java.util.ArrayList<>();
    for (int y = 0; y < a.height(); y++) {
      for (int x = 0; x < a.width(); x++) {
        if (a.get(x, y) != b.get(x, y)) {
          out.add(new int[] {x, y});
        }
      }
    }
    return out;
  }
}
