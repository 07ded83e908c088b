package io.prosima.imaging.metrics;

/**
 * Image quality metrics with data range 1 (pixels in [0, 1]).
 *
 * <p>SSIM follows Wang, Bovik, Sheikh and Simoncelli (2004) as computed by scikit-image's {@code
 * structural_similarity(..., gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
 * data_range=1)}: an 11x11 Gaussian window (sigma 1.5, truncated at 3.5 sigma, normalised), K1 =
 * 0.01, K2 = 0.03, the SSIM map averaged over the positions whose window lies inside the image.
 */
public final class ImageMetrics {
  static final double SSIM_SIGMA = 1.5;
  static final int SSIM_RADIUS = 5;
  static final double K1 = 0.01;
  static final double K2 = 0.03;

  private ImageMetrics() {}

  /** Peak signal-to-noise ratio in dB of {@code test} against {@code reference}, peak 1. */
  public static double psnr(float[] test, float[] reference) {
    checkSame(test, reference);
    double sum = 0;
    for (int i = 0; i < test.length; i++) {
      double d = (double) test[i] - reference[i];
      sum += d * d;
    }
    double mse = sum / test.length;
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1.0 / mse);
  }

  /** Mean SSIM of two images of {@code width} x {@code height}, both at least 11x11. */
  public static double ssim(float[] a, float[] b, int width, int height) {
    checkSame(a, b);
    if ((long) width * height != a.length) {
      throw new IllegalArgumentException("size " + width + "x" + height + " != " + a.length);
    }
    int win = 2 * SSIM_RADIUS + 1;
    if (width < win || height < win) {
      throw new IllegalArgumentException("SSIM needs at least " + win + "x" + win + " pixels");
    }
    double[] kernel = gaussianKernel();
    int n = a.length;
    double[] x = new double[n];
    double[] y = new double[n];
    double[] xx = new double[n];
    double[] yy = new double[n];
    double[] xy = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = a[i];
      y[i] = b[i];
      xx[i] = x[i] * x[i];
      yy[i] = y[i] * y[i];
      xy[i] = x[i] * y[i];
    }
    double[] ux = filterValid(x, width, height, kernel);
    double[] uy = filterValid(y, width, height, kernel);
    double[] uxx = filterValid(xx, width, height, kernel);
    double[] uyy = filterValid(yy, width, height, kernel);
    double[] uxy = filterValid(xy, width, height, kernel);
    double c1 = K1 * K1;
    double c2 = K2 * K2;
    double sum = 0;
    for (int i = 0; i < ux.length; i++) {
      double vx = uxx[i] - ux[i] * ux[i];
      double vy = uyy[i] - uy[i] * uy[i];
      double vxy = uxy[i] - ux[i] * uy[i];
      double num = (2 * ux[i] * uy[i] + c1) * (2 * vxy + c2);
      double den = (ux[i] * ux[i] + uy[i] * uy[i] + c1) * (vx + vy + c2);
      sum += num / den;
    }
    return sum / ux.length;
  }

  /** Cosine similarity of two vectors (0 if either is all zeros). */
  public static double cosine(float[] a, float[] b) {
    checkSame(a, b);
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  static double[] gaussianKernel() {
    double[] k = new double[2 * SSIM_RADIUS + 1];
    double total = 0;
    for (int i = -SSIM_RADIUS; i <= SSIM_RADIUS; i++) {
      k[i + SSIM_RADIUS] = Math.exp(-0.5 * i * i / (SSIM_SIGMA * SSIM_SIGMA));
      total += k[i + SSIM_RADIUS];
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= total;
    }
    return k;
  }

  /** Separable filter evaluated only where the window fits: (w - 10) x (h - 10) outputs. */
  private static double[] filterValid(double[] img, int w, int h, double[] k) {
    int r = SSIM_RADIUS;
    int ow = w - 2 * r;
    int oh = h - 2 * r;
    double[] rows = new double[ow * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < ow; x++) {
        double s = 0;
        for (int i = 0; i < k.length; i++) {
          s += k[i] * img[y * w + x + i];
        }
        rows[y * ow + x] = s;
      }
    }
    double[] out = new double[ow * oh];
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        double s = 0;
        for (int i = 0; i < k.length; i++) {
          s += k[i] * rows[(y + i) * ow + x];
        }
        out[y * ow + x] = s;
      }
    }
    return out;
  }

  private static void checkSame(float[] a, float[] b) {
    if (a.length != b.length || a.length == 0) {
      throw new IllegalArgumentException("arrays differ in length or are empty");
    }
  }
}
