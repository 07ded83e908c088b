package io.prosima.imaging.tamper;

import io.prosima.imaging.io.GrayImage;

/**
 * A removed structure: the region replaced by a Gaussian blur (standard deviation {@code sigmaPx})
 * of the image, erasing fine detail (a small lesion, a vessel) while keeping the local brightness.
 * The blur reads pixels around the region too, so the patch blends with its surroundings; only the
 * region's pixels are written.
 */
public record RemovedStructure(int sidePx, double sigmaPx) implements LocalEdit {
  public RemovedStructure {
    if (sidePx < 1 || !(sigmaPx > 0)) {
      throw new IllegalArgumentException("side and blur sigma must be positive");
    }
  }

  @Override
  public String name() {
    return "removed structure";
  }

  @Override
  public GrayImage apply(GrayImage image, Region region) {
    if (region.side() != sidePx || !region.fits(image.width(), image.height())) {
      throw new IllegalArgumentException("region must be a square of side " + sidePx);
    }
    int reach = (int) Math.ceil(3 * sigmaPx);
    double[] kernel = new double[2 * reach + 1];
    for (int k = -reach; k <= reach; k++) {
      kernel[k + reach] = Math.exp(-k * k / (2 * sigmaPx * sigmaPx));
    }
    float[] px = image.pixels();
    for (int y = region.y(); y < region.y() + sidePx; y++) {
      for (int x = region.x(); x < region.x() + sidePx; x++) {
        double sum = 0;
        double weight = 0;
        // Separable kernel applied as a 2-D sum over the window, skipping pixels off the image.
        for (int ky = -reach; ky <= reach; ky++) {
          int yy = y + ky;
          if (yy < 0 || yy >= image.height()) {
            continue;
          }
          for (int kx = -reach; kx <= reach; kx++) {
            int xx = x + kx;
            if (xx < 0 || xx >= image.width()) {
              continue;
            }
            double w = kernel[ky + reach] * kernel[kx + reach];
            sum += w * image.get(xx, yy);
            weight += w;
          }
        }
        px[y * image.width() + x] = (float) (sum / weight);
      }
    }
    return new GrayImage(image.width(), image.height(), px);
  }
}
