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

  /**
   * A DICOM file (Explicit VR Little Endian data set, raw-deflated when {@code uid} is the deflated
   * syntax) of {@code frames} 16-bit frames of {@code cols} x {@code rows}, with an optional
   * private OB filler of {@code fillerBytes} zeros before the pixel data, whose header claims
   * {@code pixelLength} bytes (0xFFFFFFFF: encapsulated, one empty offset table and one fragment
   * claiming {@code fragmentLength}) and which is followed by {@code pixelBytes} zeros.
   */
  static Path dicom(
      Path dir,
      String name,
      String uid,
      int rows,
      int cols,
      int frames,
      long fillerBytes,
      long pixelLength,
      long fragmentLength,
      long pixelBytes)
      throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream raw =
        new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      raw.write(new byte[128]);
      raw.write("DICM".getBytes(StandardCharsets.US_ASCII));
      String u = uid.length() % 2 == 0 ? uid : uid + "\0";
      raw.write(element(0x0002, 0x0010, "UI", u.getBytes(StandardCharsets.US_ASCII)));
      boolean deflated = uid.equals("1.2.840.10008.1.2.1.99");
      OutputStream out =
          deflated
              ? new DeflaterOutputStream(
                  raw, new Deflater(Deflater.BEST_COMPRESSION, true), 1 << 16)
              : raw;
      out.write(element(0x0028, 0x0002, "US", u16(1)));
      out.write(element(0x0028, 0x0004, "CS", "MONOCHROME2 ".getBytes(StandardCharsets.US_ASCII)));
      String is = Integer.toString(frames);
      is = is.length() % 2 == 0 ? is : is + " ";
      out.write(element(0x0028, 0x0008, "IS", is.getBytes(StandardCharsets.US_ASCII)));
      out.write(element(0x0028, 0x0010, "US", u16(rows)));
      out.write(element(0x0028, 0x0011, "US", u16(cols)));
      out.write(element(0x0028, 0x0100, "US", u16(16)));
      out.write(element(0x0028, 0x0101, "US", u16(16)));
      out.write(element(0x0028, 0x0103, "US", u16(0)));
      if (fillerBytes > 0) {
        out.write(longHeader(0x0009, 0x1010, "OB", fillerBytes));
        zeros(out, fillerBytes);
      }
      out.write(longHeader(0x7FE0, 0x0010, pixelLength == 0xFFFFFFFFL ? "OB" : "OW", pixelLength));
      if (pixelLength == 0xFFFFFFFFL) {
        out.write(item(0));
        out.write(item(fragmentLength));
      }
      zeros(out, pixelBytes);
      out.close();
    }
    return file;
  }

  private static byte[] element(int group, int elem, String vr, byte[] value) {
    ByteBuffer b = ByteBuffer.allocate(8 + value.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) group).putShort((short) elem);
    b.put(vr.getBytes(StandardCharsets.US_ASCII)).putShort((short) value.length).put(value);
    return b.array();
  }

  private static byte[] longHeader(int group, int elem, String vr, long length) {
    ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) group).putShort((short) elem);
    b.put(vr.getBytes(StandardCharsets.US_ASCII)).putShort((short) 0).putInt((int) length);
    return b.array();
  }

  private static byte[] item(long length) {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    return b.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt((int) length).array();
  }

  private static byte[] u16(int v) {
    return ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) v).array();
  }

  private static void zeros(OutputStream out, long n) throws IOException {
    byte[] z = new byte[1 << 16];
    for (long left = n; left > 0; left -= z.length) {
      out.write(z, 0, (int) Math.min(left, z.length));
    }
  }
}
