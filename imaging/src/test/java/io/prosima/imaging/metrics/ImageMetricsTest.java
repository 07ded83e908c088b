package io.prosima.imaging.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Expected values come from src/test/resources/metrics/reference_metrics.py (numpy + scipy, the
 * algorithm of scikit-image's structural_similarity with gaussian_weights=True,
 * use_sample_covariance=False, data_range=1). Its output:
 *
 * <pre>
 * psnr(b, a) = 7.530528593805
 * psnr(c, a) = 29.227483082860
 * ssim(a, b) = -0.008364211708
 * ssim(a, c) = 0.994415246026
 * cosine(u, v) = 0.364092384120
 * </pre>
 */
class ImageMetricsTest {
  static final int W = 48;
  static final int H = 40;

  static float[][] images() {
    float[] a = new float[W * H];
    float[] b = new float[W * H];
    float[] c = new float[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int i = y * W + x;
        a[i] = ((x * 7 + y * 13) % 31) / 30f;
        b[i] = ((x * 5 + y * 3 + (x * y) % 7) % 29) / 28f;
        c[i] = (float) Math.min(1, Math.max(0, a[i] + 0.05 * Math.sin(x * 0.3 + y * 0.7)));
      }
    }
    return new float[][] {a, b, c};
  }

  @Test
  void psnrMatchesTheIndependentReference() {
    float[][] im = images();
    assertEquals(7.530528593805, ImageMetrics.psnr(im[1], im[0]), 1e-6);
    assertEquals(29.227483082860, ImageMetrics.psnr(im[2], im[0]), 1e-5);
    assertEquals(Double.POSITIVE_INFINITY, ImageMetrics.psnr(im[0], im[0]));
  }

  @Test
  void ssimMatchesTheScikitImageAlgorithm() {
    float[][] im = images();
    assertEquals(-0.008364211708, ImageMetrics.ssim(im[0], im[1], W, H), 1e-7);
    assertEquals(0.994415246026, ImageMetrics.ssim(im[0], im[2], W, H), 1e-6);
    assertEquals(1.0, ImageMetrics.ssim(im[0], im[0], W, H), 1e-12);
  }

  @Test
  void cosineMatchesTheIndependentReference() {
    float[] u = new float[16];
    float[] v = new float[16];
    for (int i = 0; i < 16; i++) {
      u[i] = i;
      v[i] = (float) (Math.cos(i) * 3 + 1);
    }
    assertEquals(0.364092384120, ImageMetrics.cosine(u, v), 1e-6);
    assertEquals(0.0, ImageMetrics.cosine(u, new float[16]));
  }

  @Test
  void ssimRefusesImagesSmallerThanTheWindow() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ImageMetrics.ssim(new float[100], new float[100], 10, 10));
  }
}
