package io.prosima.imaging.cipherstats;

/**
 * Statistics of cipher images on 8-bit samples: NPCR, UACI, Shannon entropy and adjacent-sample
 * correlation. Images are row-major byte arrays; a 16-bit image is analysed as its big-endian
 * bytes, i.e. as a (2·width)×height 8-bit image.
 */
public final class CipherStats {
  /** Neighbour direction for {@link #adjacentCorrelation}. */
  public enum Direction {
    HORIZONTAL(1, 0),
    VERTICAL(0, 1),
    DIAGONAL(1, 1);

    final int dx;
    final int dy;

    Direction(int dx, int dy) {
      this.dx = dx;
      this.dy = dy;
    }
  }

  private CipherStats() {}

  /** Fraction of positions where the two images differ. */
  public static double npcr(byte[] a, byte[] b) {
    checkSameLength(a, b);
    long diff = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        diff++;
      }
    }
    return (double) diff / a.length;
  }

  /** Mean absolute difference divided by 255, as a fraction. */
  public static double uaci(byte[] a, byte[] b) {
    checkSameLength(a, b);
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
    }
    return sum / (255.0 * a.length);
  }

  /** Shannon entropy of the byte histogram, in bits per byte (8 is the maximum). */
  public static double entropyBits(byte[] data) {
    long[] hist = new long[256];
    for (byte v : data) {
      hist[v & 0xff]++;
    }
    double h = 0;
    for (long c : hist) {
      if (c > 0) {
        double p = (double) c / data.length;
        h -= p * Math.log(p);
      }
    }
    return h / Math.log(2);
  }

  /**
   * Entropy a uniformly random byte string of this length is expected to show: a finite sample
   * falls short of 8 bits by about (256 − 1) / (2·n·ln 2) (Miller–Madow bias).
   */
  public static double entropyExpectedBits(long n) {
    return 8 - 255.0 / (2.0 * n * Math.log(2));
  }

  /** Pearson correlation of every sample with its neighbour in {@code direction}. */
  public static double adjacentCorrelation(byte[] img, int width, int height, Direction d) {
    if ((long) width * height != img.length) {
      throw new IllegalArgumentException("image is not " + width + "×" + height);
    }
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double syy = 0;
    double sxy = 0;
    long n = 0;
    for (int y = 0; y + d.dy < height; y++) {
      for (int x = 0; x + d.dx < width; x++) {
        double u = img[y * width + x] & 0xff;
        double v = img[(y + d.dy) * width + x + d.dx] & 0xff;
        sx += u;
        sy += v;
        sxx += u * u;
        syy += v * v;
        sxy += u * v;
        n++;
      }
    }
    double cov = sxy / n - (sx / n) * (sy / n);
    double vu = sxx / n - (sx / n) * (sx / n);
    double vv = syy / n - (sy / n) * (sy / n);
    if (vu <= 0 || vv <= 0) {
      return Double.NaN; // a constant image has no defined correlation
    }
    return cov / Math.sqrt(vu * vv);
  }

  private static void checkSameLength(byte[] a, byte[] b) {
    if (a.length != b.length || a.length == 0) {
      throw new IllegalArgumentException("images must be non-empty and of equal size");
    }
  }
}
