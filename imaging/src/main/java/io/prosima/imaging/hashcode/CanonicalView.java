package io.prosima.imaging.hashcode;

import io.prosima.imaging.io.GrayImage;
import java.util.Arrays;

/**
 * The view of an image the similarity code is computed on: intensities mapped so the minimum is 0
 * and the 99th percentile is 1 (undoes a linear window change), then the image placed in a 256x256
 * canvas with its intensity centroid at the centre (undoes shifts and small crops, which move the
 * content against E's fixed 64-px tile grid). Larger images are first reduced by an integer box
 * average so they fit.
 */
public final class CanonicalView {
  /** Side of the canonical canvas (the default 4x4 grid of 64-px tiles). */
  public static final int SIDE_PX = 256;

  /** The percentile mapped to 1. */
  static final double HIGH_PERCENTILE = 0.99;

  /** Intensities up to this (after normalisation) do not weigh in the centroid. */
  static final double CENTROID_FLOOR = 0.1;

  /** Gaussian smoothing of the canonical view, in pixels (0 = none); set by the system property. */
  private CanonicalView() {}

  public static GrayImage of(GrayImage image) {
    GrayImage fitted = fit(image);
    float[] px = normalised(fitted.pixels());
    float[] values = px;
    int w = fitted.width();
    int h = fitted.height();
    double sum = 0;
    double sx = 0;
    double sy = 0;
    // Weights above a floor: background noise (Rician lifts it) must not pull the centroid.
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double v = Math.max(0, px[y * w + x] - CENTROID_FLOOR);
        sum += v;
        sx += v * x;
        sy += v * y;
      }
    }
    // Where the centroid lands; a flat image keeps its geometric centre.
    double cx = sum > 0 ? sx / sum : (w - 1) / 2.0;
    double cy = sum > 0 ? sy / sum : (h - 1) / 2.0;
    int dx = (int) Math.round((SIDE_PX - 1) / 2.0 - cx);
    int dy = (int) Math.round((SIDE_PX - 1) / 2.0 - cy);
    float[] out = new float[SIDE_PX * SIDE_PX];
    // Canvas outside the image: the image's darkest value (its background).
    float fill = Float.POSITIVE_INFINITY;
    for (float v : values) {
      fill = Math.min(fill, v);
    }
    Arrays.fill(out, fill);
    for (int y = 0; y < h; y++) {
      int ty = y + dy;
      if (ty < 0 || ty >= SIDE_PX) {
        continue;
      }
      for (int x = 0; x < w; x++) {
        int tx = x + dx;
        if (tx >= 0 && tx < SIDE_PX) {
          out[ty * SIDE_PX + tx] = values[y * w + x];
        }
      }
    }
    return new GrayImage(SIDE_PX, SIDE_PX, out);
  }

  /** Reduced by the smallest integer box factor that makes both sides at most {@link #SIDE_PX}. */
  static GrayImage fit(GrayImage image) {
    int f =
        Math.max((image.width() + SIDE_PX - 1) / SIDE_PX, (image.height() + SIDE_PX - 1) / SIDE_PX);
    if (f <= 1) {
      return image;
    }
    int w = image.width() / f;
    int h = image.height() / f;
    float[] src = image.pixels();
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double s = 0;
        for (int j = 0; j < f; j++) {
          for (int i = 0; i < f; i++) {
            s += src[(y * f + j) * image.width() + x * f + i];
          }
        }
        out[y * w + x] = (float) (s / (f * f));
      }
    }
    return new GrayImage(w, h, out);
  }

  /** (v - min) / (p99 - min), clipped to [0, 1]; non-finite values count as the minimum. */
  static float[] normalised(float[] px) {
    float[] sorted = new float[px.length];
    for (int i = 0; i < px.length; i++) {
      sorted[i] = Float.isFinite(px[i]) ? px[i] : Float.NEGATIVE_INFINITY;
    }
    Arrays.sort(sorted);
    int first = 0;
    while (first < sorted.length && sorted[first] == Float.NEGATIVE_INFINITY) {
      first++;
    }
    float[] out = new float[px.length];
    if (first == sorted.length) {
      return out;
    }
    float lo = sorted[first];
    int hiIndex = first + (int) Math.floor(HIGH_PERCENTILE * (sorted.length - 1 - first));
    float hi = sorted[hiIndex];
    if (!(hi > lo)) {
      hi = sorted[sorted.length - 1];
    }
    if (!(hi > lo)) {
      return out;
    }
    float range = hi - lo;
    for (int i = 0; i < px.length; i++) {
      float v = Float.isFinite(px[i]) ? (px[i] - lo) / range : 0f;
      out[i] = Math.min(1f, Math.max(0f, v));
    }
    return out;
  }
}
