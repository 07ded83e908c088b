package io.prosima.imaging.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, then one PackBits
 * segment per byte plane (most significant byte of each sample first). Decodes one frame into the
 * native little-endian, sample-interleaved layout, so it is read like uncompressed data. The output
 * is exactly the frame's size; a segment that would write past its plane is refused.
 */
final class RleDecoder {
  static final int HEADER_BYTES = 64;
  static final int SEGMENTS_MAX = 15;

  private RleDecoder() {}

  static byte[] decode(byte[] rle, DicomHeader h) throws ImageFormatException {
    int bytesPerSample = h.bitsAllocated / 8;
    int segments = h.samplesPerPixel * bytesPerSample;
    int pixels = h.rows * h.columns;
    if (rle.length < HEADER_BYTES) {
      throw h.fail("RLE frame of " + rle.length + " bytes has no header");
    }
    ByteBuffer header = ByteBuffer.wrap(rle, 0, HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    long count = header.getInt(0) & 0xFFFFFFFFL;
    if (count != segments || count > SEGMENTS_MAX) {
      throw h.fail("RLE frame has " + count + " segments, expected " + segments);
    }
    byte[] out = new byte[Math.multiplyExact(pixels, segments)];
    for (int s = 0; s < segments; s++) {
      long start = header.getInt(4 + 4 * s) & 0xFFFFFFFFL;
      long end = s + 1 < segments ? header.getInt(8 + 4 * s) & 0xFFFFFFFFL : rle.length;
      if (start < HEADER_BYTES || end < start || end > rle.length) {
        throw h.fail("RLE segment " + s + " offsets " + start + ".." + end + " are invalid");
      }
      int sample = s / bytesPerSample;
      int byteInSample = bytesPerSample - 1 - s % bytesPerSample; // segments are MSB first
      int filled =
          unpack(
              rle,
              (int) start,
              (int) end,
              out,
              sample * bytesPerSample + byteInSample,
              segments,
              pixels,
              h);
      if (filled < pixels) {
        throw h.fail("RLE segment " + s + " decodes to " + filled + " of " + pixels + " bytes");
      }
    }
    return out;
  }

  /**
   * PackBits: a header byte n in 0..127 copies the next n + 1 bytes, in -127..-1 repeats the next
   * byte 1 - n times, -128 is a no-op. Writes plane byte i to out[first + i * stride]; stops when
   * the plane is full (trailing padding is ignored). Returns the bytes written.
   */
  private static int unpack(
      byte[] in, int from, int to, byte[] out, int first, int stride, int count, DicomHeader h)
      throws ImageFormatException {
    int i = from;
    int n = 0;
    while (i < to && n < count) {
      int c = in[i++];
      if (c >= 0) {
        int len = c + 1;
        if (i + len > to || n + len > count) {
          throw h.fail("RLE literal run past the end of its segment");
        }
        for (int k = 0; k < len; k++) {
          out[first + (n++) * stride] = in[i++];
        }
      } else if (c != -128) {
        int len = 1 - c;
        if (i >= to || n + len > count) {
          throw h.fail("RLE repeat run past the end of its segment");
        }
        byte b = in[i++];
        for (int k = 0; k < len; k++) {
          out[first + (n++) * stride] = b;
        }
      }
    }
    return n;
  }
}
