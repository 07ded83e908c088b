package io.prosima.imaging.io;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * 8- and 16-bit grayscale PNG, scaled to [0, 1] (value / 255 or / 65535).
 *
 * <p>The header (IHDR) and the chunk lengths are read first, without decoding: the dimensions are
 * checked against {@link ImageLimits}, and the compressed image data (IDAT) must be large enough to
 * inflate to what IHDR claims, before any pixel buffer exists.
 */
public final class PngImages {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final int CHUNK_OVERHEAD_BYTES = 12; // length, type, CRC
  private static final int IHDR_BYTES = 13;
  private static final long CHUNK_BYTES_MAX = Integer.MAX_VALUE; // PNG spec: 2^31 - 1

  private PngImages() {}

  /** What IHDR claims, and how many compressed image bytes the IDAT chunks hold. */
  record Header(long width, long height, int bitDepth, int colorType, long idatBytes) {}

  public static GrayImage read(Path file) throws IOException {
    Header h = header(file);
    BufferedImage img = decode(file, h);
    Raster raster = img.getRaster();
    int w = img.getWidth();
    int ht = img.getHeight();
    if (w != h.width() || ht != h.height() || raster.getNumBands() != 1) {
      throw new ImageFormatException(file + ": PNG decoded to " + w + "x" + ht + ", not as IHDR");
    }
    float max = h.bitDepth() == 8 ? 255f : 65535f;
    float[] px = new float[w * ht];
    int[] row = new int[w];
    for (int y = 0; y < ht; y++) {
      raster.getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        px[y * w + x] = row[x] / max;
      }
    }
    return new GrayImage(w, ht, px);
  }

  /**
   * Reads and checks IHDR and the chunk layout without decoding any pixel: refuses dimensions over
   * the limits, non-grayscale or non-8/16-bit images, chunks that run past the end of the file, and
   * IDAT data too small to inflate to the image IHDR claims.
   */
  static Header header(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer head = ByteBuffer.allocate(SIGNATURE.length + 8 + IHDR_BYTES);
      readAt(ch, head, 0);
      if (head.position() < head.capacity()) {
        throw new ImageFormatException(file + ": not a readable PNG (" + size + " bytes)");
      }
      for (int i = 0; i < SIGNATURE.length; i++) {
        if (head.get(i) != SIGNATURE[i]) {
          throw new ImageFormatException(file + ": not a readable PNG (bad signature)");
        }
      }
      if (head.getInt(8) != IHDR_BYTES || !"IHDR".equals(type(head, 12))) {
        throw new ImageFormatException(file + ": not a readable PNG (no IHDR chunk first)");
      }
      long width = head.getInt(16) & 0xFFFFFFFFL;
      long height = head.getInt(20) & 0xFFFFFFFFL;
      int bitDepth = head.get(24) & 0xFF;
      int colorType = head.get(25) & 0xFF;
      ImageLimits.checkSize(file.toString(), width, height);
      if (colorType != 0) {
        throw new ImageFormatException(
            file + ": PNG colour type " + colorType + "; only grayscale (type 0) is supported");
      }
      if (bitDepth != 8 && bitDepth != 16) {
        throw new ImageFormatException(
            file + ": PNG has " + bitDepth + "-bit samples; only 8 and 16 are supported");
      }
      long idat = idatBytes(file, ch, size);
      long pixelBytes = width * height * (bitDepth / 8);
      if (!ImageLimits.deflateCanHold(idat, pixelBytes)) {
        throw new ImageFormatException(
            file
                + ": PNG image data is "
                + idat
                + " bytes, too little to inflate to "
                + width
                + "x"
                + height
                + " pixels (truncated or corrupt)");
      }
      return new Header(width, height, bitDepth, colorType, idat);
    }
  }

  /** Walks the chunk headers after IHDR (seeking past their data) and adds up IDAT lengths. */
  private static long idatBytes(Path file, FileChannel ch, long size) throws IOException {
    long pos = SIGNATURE.length + CHUNK_OVERHEAD_BYTES + IHDR_BYTES;
    long idat = 0;
    ByteBuffer chunk = ByteBuffer.allocate(8);
    while (pos + CHUNK_OVERHEAD_BYTES <= size) {
      chunk.clear();
      readAt(ch, chunk, pos);
      long length = chunk.getInt(0) & 0xFFFFFFFFL;
      String type = type(chunk, 4);
      if (length > CHUNK_BYTES_MAX || pos + CHUNK_OVERHEAD_BYTES + length > size) {
        throw new ImageFormatException(
            file + ": PNG truncated: chunk " + type + " at offset " + pos + " runs past the end");
      }
      if (type.equals("IDAT")) {
        idat += length;
      } else if (type.equals("IEND")) {
        break;
      }
      pos += CHUNK_OVERHEAD_BYTES + length;
    }
    return idat;
  }

  private static BufferedImage decode(Path file, Header h) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
    if (!readers.hasNext()) {
      throw new IOException("no PNG reader available");
    }
    ImageReader reader = readers.next();
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      reader.setInput(in, true, true);
      return reader.read(0);
    } catch (IOException | RuntimeException e) {
      throw new ImageFormatException(file + ": not a readable PNG: " + e.getMessage(), e);
    } finally {
      reader.dispose();
    }
  }

  private static void readAt(FileChannel ch, ByteBuffer into, long pos) throws IOException {
    while (into.hasRemaining()) {
      int n = ch.read(into, pos + into.position());
      if (n < 0) {
        return;
      }
    }
  }

  private static String type(ByteBuffer b, int at) {
    byte[] t = new byte[4];
    b.get(at, t);
    for (byte c : t) {
      if (!Character.isLetter(c)) {
        return "(invalid type)";
      }
    }
    return new String(t, StandardCharsets.US_ASCII);
  }

  /** Writes an image clipped to [0, 1] as 8-bit grayscale PNG. */
  public static void write8(GrayImage image, Path file) throws IOException {
    write(image, file, 8);
  }

  /** Writes an image clipped to [0, 1] as 16-bit grayscale PNG. */
  public static void write16(GrayImage image, Path file) throws IOException {
    write(image, file, 16);
  }

  private static void write(GrayImage image, Path file, int bits) throws IOException {
    int w = image.width();
    int h = image.height();
    BufferedImage out =
        new BufferedImage(
            w, h, bits == 8 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_USHORT_GRAY);
    WritableRaster raster = out.getRaster();
    float max = bits == 8 ? 255f : 65535f;
    float[] px = image.raw();
    int[] samples = new int[px.length];
    for (int i = 0; i < px.length; i++) {
      samples[i] = Math.round(Math.min(1f, Math.max(0f, px[i])) * max);
    }
    raster.setSamples(0, 0, w, h, 0, samples);
    if (!ImageIO.write(out, "png", file.toFile())) {
      throw new IOException("no PNG writer available");
    }
  }
}
