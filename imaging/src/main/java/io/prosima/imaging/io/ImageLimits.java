package io.prosima.imaging.io;

/** Limits on input images, so a hostile header cannot make a reader allocate without bound. */
public final class ImageLimits {
  /** Largest accepted width or height. */
  public static final int IMAGE_SIDE_PX_MAX = 8192;

  /** Largest accepted pixel count of one 2-D image or slice (64 Mi pixels, 256 MiB as floats). */
  public static final long IMAGE_PIXELS_MAX = 1L << 26;

  /** Largest accepted NIfTI volume in voxels (2^28, 1 GiB as floats). */
  public static final long VOLUME_VOXELS_MAX = 1L << 28;

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
}
