package io.prosima.imaging.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * NIfTI-1 single-file volumes ({@code .nii}, {@code .nii.gz}): one 2-D slice by axis and index.
 *
 * <p>Axis 0 slices at fixed i (image width = dim2, height = dim3), axis 1 at fixed j (dim1 x dim3),
 * axis 2 at fixed k (dim1 x dim2, the usual axial slice). Rows are stored in file order (no
 * reorientation). Data types: uint8, int8, int16, uint16, int32, uint32, float32, float64; values
 * are scaled by scl_slope and scl_inter when scl_slope is non-zero. 3-D volumes only (a 4th
 * dimension of 1 is accepted). Either byte order.
 *
 * <p>The header is checked first (dimensions against {@link ImageLimits}, the file large enough for
 * the voxels it claims); the volume is then streamed through a one-row buffer, so memory is the
 * slice itself whatever the volume's size.
 */
public final class NiftiImages {
  static final int HEADER_BYTES = 348;

  /** Largest voxel data streamed through to cut one slice (never held in memory whole). */
  public static final long VOLUME_BYTES_MAX = 1L << 30;

  private NiftiImages() {}

  /** The dimensions (dim1, dim2, dim3) of a volume. */
  public static int[] dimensions(Path file) throws IOException {
    try (InputStream in = open(file)) {
      return header(file.toString(), readFully(in, HEADER_BYTES, file, "header")).dims;
    }
  }

  public static GrayImage readSlice(Path file, int axis, int index) throws IOException {
    if (axis < 0 || axis > 2) {
      throw new ImageFormatException(file + ": NIfTI slice axis must be 0, 1 or 2, got " + axis);
    }
    try (InputStream in = open(file)) {
      Header h = header(file.toString(), readFully(in, HEADER_BYTES, file, "header"));
      int[] d = h.dims;
      if (index < 0 || index >= d[axis]) {
        throw new ImageFormatException(
            file + ": slice " + index + " is outside 0.." + (d[axis] - 1) + " on axis " + axis);
      }
      int w = axis == 0 ? d[1] : d[0];
      int ht = axis == 2 ? d[1] : d[2];
      ImageLimits.checkSize(file.toString(), w, ht);
      checkFileHolds(file, h);
      skipFully(in, (long) h.voxOffset - HEADER_BYTES, file);
      return slice(in, h, axis, index, w, ht, file);
    }
  }

  /**
   * Refuses a file too small for the voxel data its header claims: a plain file must hold it all; a
   * gzip file must be at least the smallest deflate stream that could inflate to it.
   */
  private static void checkFileHolds(Path file, Header h) throws IOException {
    long needed = (long) h.voxOffset + h.voxelBytes();
    long size = Files.size(file);
    boolean holds = isGzip(file) ? ImageLimits.deflateCanHold(size, needed) : size >= needed;
    if (!holds) {
      throw new ImageFormatException(
          file
              + ": NIfTI truncated: the header claims "
              + needed
              + " bytes of header and voxels but the file has "
              + size);
    }
  }

  /**
   * Streams the volume row by row (dim1 voxels per row) through one row buffer, skipping rows the
   * slice does not cross and stopping after the last row it needs; memory is the slice plus a row.
   */
  private static GrayImage slice(
      InputStream in, Header h, int axis, int index, int w, int ht, Path file) throws IOException {
    int[] d = h.dims;
    int rowBytes = d[0] * h.bytesPer;
    byte[] rowBuf = new byte[rowBytes];
    ByteBuffer row = ByteBuffer.wrap(rowBuf).order(h.order);
    float[] px = new float[w * ht];
    long rows = (long) d[1] * d[2];
    long first = axis == 2 ? (long) d[1] * index : axis == 1 ? index : 0;
    long last =
        axis == 2 ? first + d[1] - 1 : axis == 1 ? index + (long) d[1] * (d[2] - 1) : rows - 1;
    skipFully(in, first * rowBytes, file);
    for (long r = first; r <= last; r++) {
      int j = (int) (r % d[1]);
      int k = (int) (r / d[1]);
      boolean needed = axis != 1 || j == index;
      if (!needed) {
        skipFully(in, rowBytes, file);
        continue;
      }
      readFully(in, rowBuf, file, "voxel data");
      switch (axis) {
        case 0 -> px[k * w + j] = h.scaled(row, index);
        case 1 -> {
          for (int i = 0; i < d[0]; i++) {
            px[k * w + i] = h.scaled(row, i);
          }
        }
        default -> {
          for (int i = 0; i < d[0]; i++) {
            px[j * w + i] = h.scaled(row, i);
          }
        }
      }
    }
    return new GrayImage(w, ht, px);
  }

  private static boolean isGzip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  private static InputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file));
    raw.mark(2);
    int b0 = raw.read();
    int b1 = raw.read();
    raw.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      GZIPInputStream gzip;
      try {
        gzip = new GZIPInputStream(raw, 1 << 16); // reads the gzip header
      } catch (ZipException | EOFException e) {
        raw.close();
        throw corruptGzip(file, e);
      }
      return new BufferedInputStream(new GzipFormatErrors(gzip, file), 1 << 16);
    }
    return raw;
  }

  private static ImageFormatException corruptGzip(Path file, IOException e) {
    return new ImageFormatException(
        file + ": NIfTI gzip stream is corrupt or truncated (" + e + ")", e);
  }

  /**
   * A bad gzip file is a bad image file: inflating reports it as ZipException (corrupt deflate
   * data) or EOFException (stream cut short), which callers would take for an I/O failure.
   */
  private static final class GzipFormatErrors extends FilterInputStream {
    private final Path file;

    GzipFormatErrors(InputStream in, Path file) {
      super(in);
      this.file = file;
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (ZipException | EOFException e) {
        throw corruptGzip(file, e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (ZipException | EOFException e) {
        throw corruptGzip(file, e);
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return in.skip(n);
      } catch (ZipException | EOFException e) {
        throw corruptGzip(file, e);
      }
    }
  }

  private static final class Header {
    ByteOrder order;
    int[] dims;
    int datatype;
    int bytesPer;
    float voxOffset;
    double slope;
    double intercept;

    long voxelBytes() {
      return (long) dims[0] * dims[1] * dims[2] * bytesPer;
    }

    float scaled(ByteBuffer b, int i) {
      double v = value(b, i);
      return (float) (slope != 0 ? slope * v + intercept : v);
    }

    double value(ByteBuffer b, int i) {
      return switch (datatype) {
        case 2 -> b.get(i) & 0xFF;
        case 256 -> b.get(i);
        case 4 -> b.getShort(2 * i);
        case 512 -> b.getShort(2 * i) & 0xFFFF;
        case 8 -> b.getInt(4 * i);
        case 768 -> b.getInt(4 * i) & 0xFFFFFFFFL;
        case 16 -> b.getFloat(4 * i);
        case 64 -> b.getDouble(8 * i);
        default -> throw new IllegalStateException("unchecked datatype " + datatype);
      };
    }
  }

  private static Header header(String name, byte[] bytes) throws ImageFormatException {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    Header h = new Header();
    if (b.getInt(0) == HEADER_BYTES) {
      h.order = ByteOrder.LITTLE_ENDIAN;
    } else if (Integer.reverseBytes(b.getInt(0)) == HEADER_BYTES) {
      h.order = ByteOrder.BIG_ENDIAN;
      b.order(ByteOrder.BIG_ENDIAN);
    } else {
      throw new ImageFormatException(name + ": not a NIfTI-1 file (sizeof_hdr is not 348)");
    }
    String magic = new String(bytes, 344, 3, java.nio.charset.StandardCharsets.US_ASCII);
    if (magic.equals("ni1")) {
      throw new ImageFormatException(
          name + ": NIfTI .hdr/.img pairs are not supported; use a single .nii file");
    }
    if (!magic.equals("n+1")) {
      throw new ImageFormatException(name + ": bad NIfTI-1 magic '" + magic + "'");
    }
    int rank = b.getShort(40);
    if (rank < 3 || rank > 7) {
      throw new ImageFormatException(name + ": NIfTI volume has " + rank + " dimensions; need 3");
    }
    for (int i = 4; i <= rank; i++) {
      if (b.getShort(40 + 2 * i) > 1) {
        throw new ImageFormatException(
            name + ": NIfTI has more than 3 non-trivial dimensions (dim" + i + " > 1)");
      }
    }
    h.dims = new int[] {b.getShort(42), b.getShort(44), b.getShort(46)};
    for (int d : h.dims) {
      if (d <= 0) {
        throw new ImageFormatException(name + ": NIfTI dimension " + d + " is not positive");
      }
    }
    long voxels = (long) h.dims[0] * h.dims[1] * h.dims[2];
    if (voxels > ImageLimits.VOLUME_VOXELS_MAX) {
      throw new ImageFormatException(
          name
              + ": volume of "
              + voxels
              + " voxels exceeds the limit "
              + ImageLimits.VOLUME_VOXELS_MAX);
    }
    h.datatype = b.getShort(70);
    h.bytesPer =
        switch (h.datatype) {
          case 2, 256 -> 1;
          case 4, 512 -> 2;
          case 8, 768, 16 -> 4;
          case 64 -> 8;
          default ->
              throw new ImageFormatException(
                  name + ": NIfTI datatype " + h.datatype + " is not supported");
        };
    if (h.voxelBytes() > VOLUME_BYTES_MAX) {
      throw new ImageFormatException(
          name + ": volume of " + h.voxelBytes() + " bytes exceeds the limit " + VOLUME_BYTES_MAX);
    }
    h.voxOffset = b.getFloat(108);
    if (!(h.voxOffset >= HEADER_BYTES) || h.voxOffset != Math.floor(h.voxOffset)) {
      throw new ImageFormatException(name + ": bad NIfTI vox_offset " + h.voxOffset);
    }
    float slope = b.getFloat(112);
    float inter = b.getFloat(116);
    h.slope = Float.isFinite(slope) ? slope : 0;
    h.intercept = Float.isFinite(inter) ? inter : 0;
    return h;
  }

  private static byte[] readFully(InputStream in, int n, Path file, String what)
      throws IOException {
    byte[] out = new byte[n];
    readFully(in, out, file, what);
    return out;
  }

  private static void readFully(InputStream in, byte[] out, Path file, String what)
      throws IOException {
    int off = 0;
    while (off < out.length) {
      int r;
      try {
        r = in.read(out, off, out.length - off);
      } catch (EOFException e) {
        r = -1;
      }
      if (r < 0) {
        throw new ImageFormatException(
            file + ": NIfTI truncated: " + what + " needs " + out.length + " bytes, got " + off);
      }
      off += r;
    }
  }

  private static void skipFully(InputStream in, long n, Path file) throws IOException {
    long left = n;
    while (left > 0) {
      long s = in.skip(left);
      if (s <= 0) {
        if (in.read() < 0) {
          throw new ImageFormatException(file + ": NIfTI truncated before the voxel data");
        }
        s = 1;
      }
      left -= s;
    }
  }
}
