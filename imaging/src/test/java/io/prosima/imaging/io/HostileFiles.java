package io.prosima.imaging.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/** Small files whose headers claim far more pixels than they hold, as an attacker would send. */
final class HostileFiles {
  private HostileFiles() {}

  /** A PNG of a few dozen bytes whose IHDR claims {@code width} x {@code height} pixels. */
  static Path png(Path dir, String name, int width, int height, int bitDepth, int colorType)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(width).putInt(height).put((byte) bitDepth).put((byte) colorType);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", zlib(new byte[4096]));
    chunk(out, "IEND", new byte[0]);
    Path file = dir.resolve(name);
    Files.write(file, out.toByteArray());
    return file;
  }

  static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  static byte[] zlib(byte[] data) throws IOException {
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    try (OutputStream d = new DeflaterOutputStream(z, new Deflater(Deflater.BEST_COMPRESSION))) {
      d.write(data);
    }
    return z.toByteArray();
  }

  /**
   * A NIfTI-1 header (int16, little endian) claiming {@code d1 x d2 x d3} voxels, followed by
   * {@code voxelBytes} zero bytes of data; gzip-compressed when the name ends in {@code .gz}.
   */
  static Path nifti(Path dir, String name, int d1, int d2, int d3, long voxelBytes)
      throws IOException {
    ByteBuffer b = ByteBuffer.allocate(352).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, 348);
    b.putShort(40, (short) 3);
    b.putShort(42, (short) d1).putShort(44, (short) d2).putShort(46, (short) d3);
    b.putShort(48, (short) 1);
    b.putShort(70, (short) 4);
    b.putShort(72, (short) 16);
    b.putFloat(108, 352f);
    b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
    Path file = dir.resolve(name);
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream out = name.endsWith(".gz") ? new GZIPOutputStream(raw, 1 << 16) : raw) {
      out.write(b.array());
      byte[] zeros = new byte[1 << 16];
      for (long left = voxelBytes; left > 0; left -= zeros.length) {
        out.write(zeros, 0, (int) Math.min(left, zeros.length));
      }
    }
    return file;
  }
}
