package io.prosima.imaging.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * A DICOM file read forwards through bounded buffers. It knows how many bytes the file can still
 * hold (exactly for a plain file; for a deflated data set the most its compressed bytes can inflate
 * to, capped), so every length a header claims is checked before anything is allocated, and values
 * that are not needed are skipped, never buffered.
 */
final class DicomInput implements AutoCloseable {
  static final int BUFFER_BYTES = 1 << 16;

  /** Largest data set accepted after inflating a deflated file. */
  static final long INFLATED_BYTES_MAX = 1L << 29;

  /** First allocation when reading a long value; it grows only as bytes actually arrive. */
  private static final int READ_CHUNK_BYTES = 1 << 20;

  private final String name;
  private InputStream in;
  private long pos;
  private long limit;
  private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
  private final byte[] scratch = new byte[8];

  DicomInput(String name, InputStream raw, long size) {
    this.name = name;
    this.in = new BufferedInputStream(raw, BUFFER_BYTES);
    this.limit = size;
  }

  /**
   * From here on the stream is raw deflate (Deflated Explicit VR Little Endian): positions count
   * inflated bytes, and the bytes left are bounded by what the compressed rest can inflate to.
   */
  void inflateRest() {
    long compressed = limit - pos;
    in =
        new BufferedInputStream(
            new InflaterInputStream(in, new Inflater(true), BUFFER_BYTES), BUFFER_BYTES);
    limit = pos + Math.min(INFLATED_BYTES_MAX, compressed * ImageLimits.DEFLATE_EXPANSION_MAX);
  }

  ByteOrder order() {
    return order;
  }

  void order(ByteOrder o) {
    order = o;
  }

  long position() {
    return pos;
  }

  /** The most bytes the file can still hold. */
  long remaining() {
    return limit - pos;
  }

  boolean atEnd() throws IOException {
    in.mark(1);
    int b = in.read();
    in.reset();
    return b < 0;
  }

  /** The next tag (group << 16 | element) without consuming it, or -1 at the end of the file. */
  int peekTag(ByteOrder o) throws IOException {
    in.mark(4);
    int n = in.readNBytes(scratch, 0, 4);
    in.reset();
    if (n < 4) {
      return -1;
    }
    return (u16(scratch, 0, o) << 16) | u16(scratch, 2, o);
  }

  int u16() throws IOException {
    return u16(order);
  }

  int u16(ByteOrder o) throws IOException {
    readFully(scratch, 2, "a 2-byte value");
    return u16(scratch, 0, o);
  }

  long u32() throws IOException {
    return u32(order);
  }

  long u32(ByteOrder o) throws IOException {
    readFully(scratch, 4, "a 4-byte value");
    int b0 = scratch[0] & 0xFF;
    int b1 = scratch[1] & 0xFF;
    int b2 = scratch[2] & 0xFF;
    int b3 = scratch[3] & 0xFF;
    long v =
        o == ByteOrder.LITTLE_ENDIAN
            ? b0 | (b1 << 8) | (b2 << 16) | ((long) b3 << 24)
            : b3 | (b2 << 8) | (b1 << 16) | ((long) b0 << 24);
    return v & 0xFFFFFFFFL;
  }

  /** Two ASCII characters (an explicit VR). */
  String vr() throws IOException {
    readFully(scratch, 2, "a VR");
    return new String(scratch, 0, 2, java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** Refuses when the file cannot hold {@code bytes} more bytes. */
  void require(long bytes, String what, long at) throws ImageFormatException {
    if (bytes > remaining()) {
      throw new ImageFormatException(
          name
              + ": DICOM: truncated: "
              + what
              + " at offset "
              + at
              + " needs "
              + bytes
              + " bytes but only "
              + remaining()
              + " remain");
    }
  }

  /** {@code n} bytes, allocated as they arrive (a lying length cannot reserve memory). */
  byte[] bytes(long n, String what) throws IOException {
    require(n, what, pos);
    if (n > Integer.MAX_VALUE - 8) {
      throw new ImageFormatException(name + ": DICOM: " + what + " of " + n + " bytes is too long");
    }
    byte[] out = new byte[(int) Math.min(n, READ_CHUNK_BYTES)];
    int filled = 0;
    while (filled < n) {
      if (filled == out.length) {
        out = Arrays.copyOf(out, (int) Math.min(n, 2L * out.length));
      }
      int r = in.read(out, filled, out.length - filled);
      if (r < 0) {
        throw ended(what, n);
      }
      filled += r;
      pos += r;
    }
    return out;
  }

  void skip(long n, String what) throws IOException {
    require(n, what, pos);
    long left = n;
    while (left > 0) {
      long s = in.skip(left);
      if (s <= 0) {
        if (in.read() < 0) {
          throw ended(what, n);
        }
        s = 1;
      }
      left -= s;
      pos += s;
    }
  }

  private void readFully(byte[] b, int n, String what) throws IOException {
    require(n, what, pos);
    int got = in.readNBytes(b, 0, n);
    pos += got;
    if (got < n) {
      throw ended(what, n);
    }
  }

  private ImageFormatException ended(String what, long n) {
    return new ImageFormatException(
        name + ": DICOM: truncated: " + what + " of " + n + " bytes runs past the end at " + pos);
  }

  static int u16(byte[] b, int at, ByteOrder o) {
    int lo = b[at] & 0xFF;
    int hi = b[at + 1] & 0xFF;
    return o == ByteOrder.LITTLE_ENDIAN ? lo | (hi << 8) : hi | (lo << 8);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
