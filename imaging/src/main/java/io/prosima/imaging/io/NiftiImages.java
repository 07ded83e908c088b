package io.prosima.imaging.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * NIfTI-1 single-file volumes ({@code .nii}, {@code .nii.gz}): one 2-D slice by axis and index.
 *
 * <p>Axis 0 slices at fixed i (image width = dim2, height = dim3), axis 1 at fixed j (dim1 x dim3),
 * axis 2 at fixed k (dim1 x dim2, the usual axial slice). Rows are stored in file order (no
 * reorientation). Data types: uint8, int8, int16, uint16, int32, uint32, float32, float64; values
 * are scaled by scl_slope and scl_inter when scl_slope is non-zero. 3-D volumes only (a 4th
 * dimension of 1 is accepted). Either byte order.
 */
public final class NiftiImages {
  static final int HEADER_BYTES = 348;

  /** Largest voxel data read into memory. */
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
      long skip = (long) h.voxOffset - HEADER_BYTES;
      if (skip < 0) {
        throw new ImageFormatException(file + ": NIfTI vox_offset " + h.voxOffset + " < 348");
      }
      skipFully(in, skip, file);
      long voxels = (long) d[0] * d[1] * d[2];
      long bytes = voxels * h.bytesPer;
      if (bytes > VOLUME_BYTES_MAX) {
        throw new ImageFormatException(
            file + ": volume of " + bytes + " bytes exceeds the limit " + VOLUME_BYTES_MAX);
      }
      ByteBuffer data =
          ByteBuffer.wrap(readFully(in, (int) bytes, file, "voxel data")).order(h.order);
      int w;
      int ht;
      switch (axis) {
        case 0 -> {
          w = d[1];
          ht = d[2];
        }
        case 1 -> {
          w = d[0];
          ht = d[2];
        }
        default -> {
          w = d[0];
          ht = d[1];
        }
      }
      ImageLimits.checkSize(file.toString(), w, ht);
      float[] px = new float[w * ht];
      for (int y = 0; y < ht; y++) {
        for (int x = 0; x < w; x++) {
          long i;
          switch (axis) {
            case 0 -> i = index + (long) d[0] * (x + (long) d[1] * y);
            case 1 -> i = x + (long) d[0] * (index + (long) d[1] * y);
            default -> i = x + (long) d[0] * (y + (long) d[1] * index);
          }
          double v = h.value(data, (int) i);
          px[y * w + x] = (float) (h.slope != 0 ? h.slope * v + h.intercept : v);
        }
      }
      return new GrayImage(w, ht, px);
    }
  }

  private static InputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file));
    raw.mark(2);
    int b0 = raw.read();
    int b1 = raw.read();
    raw.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
    }
    return raw;
  }

  private static final class Header {
    ByteOrder order;
    int[] dims;
    int datatype;
    int bytesPer;
    float voxOffset;
    double slope;
    double intercept;

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
    int off = 0;
    while (off < n) {
      int r;
      try {
        r = in.read(out, off, n - off);
      } catch (EOFException e) {
        r = -1;
      }
      if (r < 0) {
        throw new ImageFormatException(
            file + ": NIfTI truncated: " + what + " needs " + n + " bytes, got " + off);
      }
      off += r;
    }
    return out;
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
