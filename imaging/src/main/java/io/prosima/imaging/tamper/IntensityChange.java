package io.prosima.imaging.tamper;

import io.prosima.imaging.io.GrayImage;
import java.util.Locale;

/**
 * An intensity change: the region's pixels multiplied by {@code factor} (e.g. 0.9 or 1.1, a +-10 %
 * change that could turn a lesion's contrast into another diagnosis), clipped to [0, 1].
 */
public record IntensityChange(int sidePx, double factor) implements LocalEdit {
  public IntensityChange {
    if (sidePx < 1 || !(factor > 0) || factor == 1) {
      throw new IllegalArgumentException("side must be positive and factor positive, not 1");
    }
  }

  @Override
  public String name() {
    return "intensity "
        + (factor > 1 ? "+" : "-")
        + String.format(Locale.ROOT, "%.0f%%", 100 * Math.abs(factor - 1));
  }

  @Override
  public GrayImage apply(GrayImage image, Region region) {
    if (region.side() != sidePx || !region.fits(image.width(), image.height())) {
      throw new IllegalArgumentException("region must be a square of side " + sidePx);
    }
    float[] px = image.pixels();
    for (int y = region.y(); y < region.y() + sidePx; y++) {
      for (int x = region.x(); x < region.x() + sidePx; x++) {
        int i = y * image.width() + x;
        px[i] = (float) Math.min(1, px[i] * factor);
      }
    }
    return new GrayImage(image.width(), image.height(), px);
  }
}
