package io.prosima.imaging.tamper;

import io.prosima.imaging.io.GrayImage;
import java.util.Locale;

/**
 * An inserted lesion: a smooth blob added to the tissue, {@code amplitude} (fraction of full scale,
 * negative = dark) at its centre, falling to half at {@code radiusPx} and to zero at twice that.
 * The profile is a raised cosine, 0.5 (1 + cos(pi d / (2 r))) for d &lt; 2r: Gaussian-like but with
 * compact support, so the edit stays inside its square of side 4r - 1 (a Gaussian's tails would
 * leak into neighbouring tiles and blur what "the edited tile" means). Clipped to [0, 1].
 */
public record InsertedLesion(int radiusPx, double amplitude) implements LocalEdit {
  public static final int RADIUS_PX_MIN = 3;
  public static final int RADIUS_PX_MAX = 8;
  public static final double AMPLITUDE_MIN = 0.08;
  public static final double AMPLITUDE_MAX = 0.2;

  public InsertedLesion {
    if (radiusPx < 1) {
      throw new IllegalArgumentException("lesion radius must be positive: " + radiusPx);
    }
  }

  @Override
  public String name() {
    return String.format(Locale.ROOT, "lesion r%d", radiusPx);
  }

  @Override
  public int sidePx() {
    return 4 * radiusPx - 1;
  }

  @Override
  public GrayImage apply(GrayImage image, Region region) {
    if (region.side() != sidePx() || !region.fits(image.width(), image.height())) {
      throw new IllegalArgumentException(
          "a lesion of radius " + radiusPx + " needs side " + sidePx());
    }
    float[] px = image.pixels();
    int c = region.side() / 2;
    double support = 2.0 * radiusPx;
    for (int dy = 0; dy < region.side(); dy++) {
      for (int dx = 0; dx < region.side(); dx++) {
        double d = Math.hypot(dx - c, dy - c);
        if (d >= support) {
          continue;
        }
        int i = (region.y() + dy) * image.width() + region.x() + dx;
        double w = 0.5 * (1 + Math.cos(Math.PI * d / support));
        px[i] = (float) Math.min(1, Math.max(0, px[i] + amplitude * w));
      }
    }
    return new GrayImage(image.width(), image.height(), px);
  }
}
