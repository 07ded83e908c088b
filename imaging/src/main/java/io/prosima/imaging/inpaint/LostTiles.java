package io.prosima.imaging.inpaint;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.tiling.TileGrid;
import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A set of lost tiles of an image's grid: checked indices, the pixel mask, the classical harmonic
 * fill, and the composite that keeps every known pixel exactly as it was.
 */
public record LostTiles(TileGrid grid, SortedSet<Integer> indices) {
  public LostTiles {
    indices = new TreeSet<>(indices);
    if (indices.isEmpty()) {
      throw new IllegalArgumentException("no lost tiles given");
    }
    for (int t : indices) {
      if (t < 0 || t >= grid.tileCount()) {
        throw new IllegalArgumentException(
            "tile "
                + t
                + " does not exist: the "
                + grid.width()
                + "x"
                + grid.height()
                + " image has tiles 0.."
                + (grid.tileCount() - 1)
                + " ("
                + grid.rows()
                + " rows x "
                + grid.cols()
                + " columns of "
                + TileGrid.TILE_PX
                + " px)");
      }
    }
    if (indices.size() == grid.tileCount()) {
      throw new IllegalArgumentException(
          "all " + grid.tileCount() + " tiles are lost: there are no neighbours to rebuild from");
    }
  }

  /** Checks {@code indices} against {@code grid}; duplicates are refused, not merged. */
  public static LostTiles of(TileGrid grid, Collection<Integer> indices) {
    TreeSet<Integer> set = new TreeSet<>();
    for (int t : indices) {
      if (!set.add(t)) {
        throw new IllegalArgumentException("tile " + t + " is listed twice");
      }
    }
    return new LostTiles(grid, set);
  }

  public boolean contains(int tile) {
    return indices.contains(tile);
  }

  /** The lost pixels of the padded grid (paddedWidth x paddedHeight, row-major). */
  public boolean[] paddedMask() {
    int w = grid.paddedWidth();
    boolean[] mask = new boolean[w * grid.paddedHeight()];
    for (int t : indices) {
      int x0 = t % grid.cols() * TileGrid.TILE_PX;
      int y0 = t / grid.cols() * TileGrid.TILE_PX;
      for (int y = y0; y < y0 + TileGrid.TILE_PX; y++) {
        for (int x = x0; x < x0 + TileGrid.TILE_PX; x++) {
          mask[y * w + x] = true;
        }
      }
    }
    return mask;
  }

  /** The lost pixels of the image itself (width x height, row-major). */
  public boolean[] imageMask() {
    boolean[] padded = paddedMask();
    boolean[] out = new boolean[grid.width() * grid.height()];
    for (int y = 0; y < grid.height(); y++) {
      System.arraycopy(padded, y * grid.paddedWidth(), out, y * grid.width(), grid.width());
    }
    return out;
  }

  /**
   * The padded image with the lost tiles harmonic-filled from the pixels around them (whatever the
   * input holds inside the lost tiles is ignored).
   */
  public GrayImage harmonicPadded(GrayImage image) {
    GrayImage padded = grid.pad(image);
    return new GrayImage(
        padded.width(),
        padded.height(),
        HarmonicFill.fill(padded.pixels(), padded.width(), padded.height(), paddedMask()));
  }

  /** The classical baseline: the image with its lost tiles harmonic-filled. */
  public GrayImage harmonic(GrayImage image) {
    return compose(image, grid.crop(harmonicPadded(image)));
  }

  /**
   * Pixels of {@code rebuilt} inside the lost tiles, pixels of {@code image} everywhere else, so
   * every tile that was not lost comes out exactly as it went in.
   */
  public GrayImage compose(GrayImage image, GrayImage rebuilt) {
    if (image.width() != grid.width()
        || image.height() != grid.height()
        || rebuilt.width() != grid.width()
        || rebuilt.height() != grid.height()) {
      throw new IllegalArgumentException("images are not " + grid.width() + "x" + grid.height());
    }
    float[] out = image.pixels();
    float[] in = rebuilt.pixels();
    boolean[] mask = imageMask();
    for (int i = 0; i < out.length; i++) {
      if (mask[i]) {
        out[i] = in[i];
      }
    }
    return new GrayImage(grid.width(), grid.height(), out);
  }

  /** The image as storage hands it back with these tiles missing: zeros there. */
  public GrayImage zeroed(GrayImage image) {
    float[] px = image.pixels();
    boolean[] mask = imageMask();
    for (int i = 0; i < px.length; i++) {
      if (mask[i]) {
        px[i] = 0f;
      }
    }
    return new GrayImage(image.width(), image.height(), px);
  }

  /** Values of {@code image} at the lost pixels, in row-major order. */
  public float[] lostPixels(GrayImage image) {
    float[] px = image.pixels();
    boolean[] mask = imageMask();
    int n = 0;
    for (boolean m : mask) {
      n += m ? 1 : 0;
    }
    float[] out = new float[n];
    int k = 0;
    for (int i = 0; i < px.length; i++) {
      if (mask[i]) {
        out[k++] = px[i];
      }
    }
    return out;
  }
}
