package io.prosima.imaging.tamper;

import io.prosima.imaging.tiling.TileGrid;
import java.util.Arrays;

/**
 * The baseline the latents must beat: a DCT perceptual hash (pHash) per 64x64 tile. The tile is
 * averaged down to 32x32, transformed with a 2-D DCT-II, and the 63 lowest-frequency coefficients
 * (the top-left 8x8 without the DC term, which only carries brightness) become 63 bits: 1 where the
 * coefficient is above their median. Two tiles differ by the Hamming distance of their hashes.
 *
 * <p>On a black background tile every coefficient is near zero, so noise alone flips about half the
 * bits (measured on the training slices with Gaussian noise sigma 0.05: median 26 of 63 on
 * near-black tiles, at most 10 on the others). The benchmark therefore also reports a gated variant
 * that ignores tiles that were background in the clean image ({@link #isBackground}).
 */
public final class TilePerceptualHash {
  static final int SMALL_PX = 32;
  static final int LOW_FREQ = 8;
  private static final double[][] COS = cosTable();

  private TilePerceptualHash() {}

  /** The 63-bit hash of a 64x64 tile (row-major values). */
  public static long of(float[] tile) {
    int side = TileGrid.TILE_PX;
    if (tile.length != side * side) {
      throw new IllegalArgumentException("a tile has " + side + "^2 pixels");
    }
    int f = side / SMALL_PX;
    double[] small = new double[SMALL_PX * SMALL_PX];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        small[(y / f) * SMALL_PX + x / f] += tile[y * side + x] / (double) (f * f);
      }
    }
    double[] coef = new double[LOW_FREQ * LOW_FREQ - 1];
    int k = 0;
    for (int v = 0; v < LOW_FREQ; v++) {
      for (int u = 0; u < LOW_FREQ; u++) {
        if (u == 0 && v == 0) {
          continue;
        }
        double s = 0;
        for (int y = 0; y < SMALL_PX; y++) {
          double cy = COS[v][y];
          for (int x = 0; x < SMALL_PX; x++) {
            s += small[y * SMALL_PX + x] * COS[u][x] * cy;
          }
        }
        coef[k++] = s;
      }
    }
    double[] sorted = coef.clone();
    Arrays.sort(sorted);
    double median = sorted[sorted.length / 2];
    long bits = 0;
    for (int i = 0; i < coef.length; i++) {
      if (coef[i] > median) {
        bits |= 1L << i;
      }
    }
    return bits;
  }

  /** A pixel above this (data in [0, 1]) is anatomy, as for {@link RegionPicker}. */
  static final float ANATOMY_LEVEL = RegionPicker.ANATOMY_LEVEL;

  /** A tile with at most this fraction of anatomy pixels is background (like the verifier's). */
  public static final double BACKGROUND_ANATOMY_FRACTION_MAX = 0.02;

  /** Whether a clean tile is background, where the gated baseline does not look. */
  public static boolean isBackground(float[] tile) {
    int n = 0;
    for (float v : tile) {
      n += v > ANATOMY_LEVEL ? 1 : 0;
    }
    return n <= BACKGROUND_ANATOMY_FRACTION_MAX * tile.length;
  }

  public static int distance(long a, long b) {
    return Long.bitCount(a ^ b);
  }

  private static double[][] cosTable() {
    double[][] t = new double[LOW_FREQ][SMALL_PX];
    for (int u = 0; u < LOW_FREQ; u++) {
      for (int x = 0; x < SMALL_PX; x++) {
        t[u][x] = Math.cos((2 * x + 1) * u * Math.PI / (2 * SMALL_PX));
      }
    }
    return t;
  }
}
