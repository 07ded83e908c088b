package io.prosima.imaging.io;

/**
 * Limits on input images, so a hostile header cannot make a reader allocate without bound. Every
 * reader checks the dimensions its header claims against these, and that the file can hold the data
 * the header claims, before it allocates a pixel buffer.
 */
public final class ImageLimits {
  /** Largest accepted width or height. */
  public static final int IMAGE_SIDE_PX_MAX = 8192;

  /** Largest accepted pixel count of one 2-D image or slice (64 Mi pixels, 256 MiB as floats). */
  public static final long IMAGE_PIXELS_MAX = 1L << 26;

  /** Largest accepted NIfTI volume in voxels (2^28); streamed, never held in memory. */
  public static final long VOLUME_VOXELS_MAX = 1L << 28;

  /**
   * The most bytes deflate can expand one compressed byte to: a 258-byte match coded in 2 bits
   * (zlib's technical note). A deflate stream of n bytes therefore holds at most n times this, so a
   * header claiming more than that is refused before anything is inflated.
   */
  public static final int DEFLATE_EXPANSION_MAX = 1032;

  private ImageLimits() {}

  static void checkSize(String source, long width, long height) throws ImageFormatException {
    if (width <= 0 || height <= 0) {
      throw new ImageFormatException(source + ": invalid dimensions " + width + "x" + height);
    }
    if (width > IMAGE_SIDE_PX_MAX
        || height > IMAGE_SIDE_PX_MAX
        || width * height > IMAGE_PIXELS_MAX) {
      throw new ImageFormatException(
          source
              + ": image "
              + width
              + "x"
              + height
              + " exceeds the limit (side "
              + IMAGE_SIDE_PX_MAX
              + " px, imagePixelsMax "
              + IMAGE_PIXELS_MAX
              + ")");
    }
  }

  /** Whether {@code compressedBytes} of deflate data can inflate to {@code bytes}. */
  static boolean deflateCanHold(long compressedBytes, long bytes) {
    return compressedBytes >= (bytes + DEFLATE_EXPANSION_MAX - 1) / DEFLATE_EXPANSION_MAX;
  }
}
