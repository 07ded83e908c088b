package io.prosima.imaging.tiling;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.io.ImageFormatException;

/**
 * The fixed tile grid of an image: square tiles of {@link #TILE_PX} pixels, row-major index ({@code
 * index = row * cols + col}). A 256x256 image has the default 4x4 grid. Other sizes are zero-padded
 * on the right and bottom up to a multiple of the tile size; an image whose padded side would
 * exceed {@link #PADDED_SIDE_PX_MAX} is refused.
 *
 * @param width original image width in pixels
 * @param height original image height in pixels
 */
public record TileGrid(int width, int height) {
  /** Side of a tile in pixels. */
  public static final int TILE_PX = 64;

  /** Largest padded side accepted (32 tiles), which bounds the tile count at 1024. */
  public static final int PADDED_SIDE_PX_MAX = 2048;

  /** Side of the images the models were trained on. */
  public static final int DEFAULT_IMAGE_PX = 256;

  public TileGrid {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
  }

  /** The grid for an image, refusing images too large to tile. */
  public static TileGrid of(GrayImage image) throws ImageFormatException {
    int w = image.width();
    int h = image.height();
    if (padUp(w) > PADDED_SIDE_PX_MAX || padUp(h) > PADDED_SIDE_PX_MAX) {
      throw new ImageFormatException(
          "image "
              + w
              + "x"
              + h
              + " is too large to tile: padded sides are limited to "
              + PADDED_SIDE_PX_MAX
              + " px ("
              + PADDED_SIDE_PX_MAX / TILE_PX
              + " tiles)");
    }
    return new TileGrid(w, h);
  }

  static int padUp(int side) {
    return (side + TILE_PX - 1) / TILE_PX * TILE_PX;
  }

  public int cols() {
    return padUp(width) / TILE_PX;
  }

  public int rows() {
    return padUp(height) / TILE_PX;
  }

  public int paddedWidth() {
    return cols() * TILE_PX;
  }

  public int paddedHeight() {
    return rows() * TILE_PX;
  }

  public int tileCount() {
    return rows() * cols();
  }

  /** The image zero-padded to the grid (the same image if no padding is needed). */
  public GrayImage pad(GrayImage image) {
    if (image.width() != width || image.height() != height) {
      throw new IllegalArgumentException("image is not " + width + "x" + height);
    }
    if (paddedWidth() == width && paddedHeight() == height) {
      return image;
    }
    float[] src = image.pixels();
    float[] out = new float[paddedWidth() * paddedHeight()];
    for (int y = 0; y < height; y++) {
      System.arraycopy(src, y * width, out, y * paddedWidth(), width);
    }
    return new GrayImage(paddedWidth(), paddedHeight(), out);
  }

  /** The image cropped back to its original size (drops the padding). */
  public GrayImage crop(GrayImage padded) {
    if (padded.width() != paddedWidth() || padded.height() != paddedHeight()) {
      throw new IllegalArgumentException("image is not " + paddedWidth() + "x" + paddedHeight());
    }
    if (paddedWidth() == width && paddedHeight() == height) {
      return padded;
    }
    float[] src = padded.pixels();
    float[] out = new float[width * height];
    for (int y = 0; y < height; y++) {
      System.arraycopy(src, y * paddedWidth(), out, y * width, width);
    }
    return new GrayImage(width, height, out);
  }

  /** Tile {@code index} of an already padded image, row-major, TILE_PX * TILE_PX values. */
  public float[] tile(GrayImage padded, int index) {
    if (index < 0 || index >= tileCount()) {
      throw new IndexOutOfBoundsException("tile " + index + " of " + tileCount());
    }
    if (padded.width() != paddedWidth() || padded.height() != paddedHeight()) {
      throw new IllegalArgumentException("image is not padded to the grid");
    }
    int x0 = index % cols() * TILE_PX;
    int y0 = index / cols() * TILE_PX;
    float[] src = padded.pixels();
    float[] out = new float[TILE_PX * TILE_PX];
    for (int y = 0; y < TILE_PX; y++) {
      System.arraycopy(src, (y0 + y) * paddedWidth() + x0, out, y * TILE_PX, TILE_PX);
    }
    return out;
  }
}
