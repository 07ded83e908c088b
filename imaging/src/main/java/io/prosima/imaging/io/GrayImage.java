package io.prosima.imaging.io;

import java.util.Arrays;

/**
 * A single-channel image, row-major. Values are in the source's units (for DICOM after rescale
 * slope and intercept); PNG input is already scaled to [0, 1].
 */
public final class GrayImage {
  private final int width;
  private final int height;
  private final float[] pixels;

  public GrayImage(int width, int height, float[] pixels) {
    if (width <= 0 || height <= 0 || (long) width * height != pixels.length) {
      throw new IllegalArgumentException(
          "pixel count " + pixels.length + " does not match " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
    this.pixels = pixels;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public float get(int x, int y) {
    return pixels[y * width + x];
  }

  /** A copy of the pixels, row-major. */
  public float[] pixels() {
    return pixels.clone();
  }

  /** The pixels without copying; callers must not modify them. */
  float[] raw() {
    return pixels;
  }

  /** Linearly mapped so the minimum is 0 and the maximum 1 (all zeros if the image is flat). */
  public GrayImage normalizedToUnit() {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float p : pixels) {
      min = Math.min(min, p);
      max = Math.max(max, p);
    }
    float[] out = new float[pixels.length];
    if (max > min) {
      float range = max - min;
      for (int i = 0; i < out.length; i++) {
        out[i] = (pixels[i] - min) / range;
      }
    }
    return new GrayImage(width, height, out);
  }

  /** Values clipped to [0, 1]. */
  public GrayImage clippedToUnit() {
    float[] out = new float[pixels.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.min(1f, Math.max(0f, pixels[i]));
    }
    return new GrayImage(width, height, out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GrayImage g
        && g.width == width
        && g.height == height
        && Arrays.equals(g.pixels, pixels);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "GrayImage[" + width + "x" + height + "]";
  }
}
