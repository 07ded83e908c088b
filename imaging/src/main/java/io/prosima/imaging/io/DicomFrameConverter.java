package io.prosima.imaging.io;

import java.awt.image.Raster;
import java.nio.ByteOrder;

/**
 * Turns one frame's samples into the grey values Prosima works with: Bits Stored masked out of Bits
 * Allocated, signed samples sign-extended, MONOCHROME1 inverted within the stored range (so larger
 * is always brighter), then the Modality LUT rescale (slope * v + intercept). Colour frames become
 * luminance, Y = 0.299 R + 0.587 G + 0.114 B (or the Y plane of YBR_FULL as stored).
 */
final class DicomFrameConverter {
  static final double LUMA_R = 0.299;
  static final double LUMA_G = 0.587;
  static final double LUMA_B = 0.114;

  /** Row {@code y} of sample plane {@code sample}, as the raw bits of each stored sample. */
  interface Samples {
    void row(int y, int sample, int[] out);
  }

  private DicomFrameConverter() {}

  /** Samples of a native (uncompressed or RLE-decoded) frame in the given byte order. */
  static Samples ofNative(byte[] frame, DicomHeader h, ByteOrder order) {
    int w = h.columns;
    int spp = h.samplesPerPixel;
    int bytes = h.bitsAllocated / 8;
    boolean planar = spp > 1 && h.planarConfiguration == 1;
    long plane = (long) w * h.rows;
    boolean le = order == ByteOrder.LITTLE_ENDIAN;
    return (y, sample, out) -> {
      for (int x = 0; x < w; x++) {
        long index = planar ? sample * plane + (long) y * w + x : ((long) y * w + x) * spp + sample;
        int at = (int) (index * bytes);
        out[x] =
            switch (bytes) {
              case 1 -> frame[at] & 0xFF;
              case 2 -> le ? u16le(frame, at) : u16be(frame, at);
              default ->
                  le
                      ? u16le(frame, at) | (u16le(frame, at + 2) << 16)
                      : u16be(frame, at + 2) | (u16be(frame, at) << 16);
            };
      }
    };
  }

  /** Samples of a decoded raster (band = sample). */
  static Samples ofRaster(Raster r) {
    return (y, sample, out) -> r.getSamples(0, y, r.getWidth(), 1, sample, out);
  }

  /**
   * @param colourIsRgb whether three samples are R, G, B (decoded JPEG / JPEG 2000, or native RGB);
   *     otherwise the first sample is luma (native YBR_FULL)
   */
  static GrayImage toGray(Samples s, DicomHeader h, boolean colourIsRgb) {
    int w = h.columns;
    int ht = h.rows;
    float[] px = new float[w * ht];
    int[] a = new int[w];
    long mask = h.bitsStored == 32 ? 0xFFFFFFFFL : (1L << h.bitsStored) - 1;
    long signBit = 1L << (h.bitsStored - 1);
    boolean signed = h.pixelRepresentation == 1;
    if (h.samplesPerPixel == 1 || !colourIsRgb) {
      boolean invert = h.monochrome1();
      boolean rescale = h.samplesPerPixel == 1;
      for (int y = 0; y < ht; y++) {
        s.row(y, 0, a);
        for (int x = 0; x < w; x++) {
          long v = a[x] & mask;
          if (signed && (v & signBit) != 0) {
            v -= mask + 1;
          }
          if (invert) {
            v = signed ? -1 - v : mask - v;
          }
          px[y * w + x] = (float) (rescale ? h.slope * v + h.intercept : v);
        }
      }
      return new GrayImage(w, ht, px);
    }
    int[] g = new int[w];
    int[] b = new int[w];
    for (int y = 0; y < ht; y++) {
      s.row(y, 0, a);
      s.row(y, 1, g);
      s.row(y, 2, b);
      for (int x = 0; x < w; x++) {
        px[y * w + x] =
            (float) (LUMA_R * (a[x] & mask) + LUMA_G * (g[x] & mask) + LUMA_B * (b[x] & mask));
      }
    }
    return new GrayImage(w, ht, px);
  }

  private static int u16le(byte[] b, int at) {
    return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8);
  }

  private static int u16be(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }
}
