package io.prosima.imaging.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A small DICOM Part 10 reader for uncompressed grayscale images.
 *
 * <p>Supported transfer syntaxes: Implicit VR Little Endian (1.2.840.10008.1.2), Explicit VR Little
 * Endian (1.2.840.10008.1.2.1) and Explicit VR Big Endian (1.2.840.10008.1.2.2). Compressed (JPEG,
 * JPEG 2000, RLE, deflate, ...) syntaxes are refused by name. Samples of 8 or 16 bits, signed or
 * unsigned, one sample per pixel (MONOCHROME1/2, values not inverted); the first frame of a
 * multi-frame file. Values are returned after Modality LUT rescale: slope * stored + intercept.
 * Every length is checked against the bytes left, so a truncated or corrupt file is refused with
 * the offset where it breaks.
 */
public final class DicomImages {
  /** Largest DICOM file read into memory. */
  public static final long DICOM_FILE_BYTES_MAX = 1L << 29;

  /** Deepest sequence nesting accepted. */
  static final int SEQUENCE_DEPTH_MAX = 16;

  static final String IMPLICIT_LE = "1.2.840.10008.1.2";
  static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
  static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";

  private static final int PIXEL_DATA = 0x7FE00010;
  private static final int ITEM = 0xFFFEE000;
  private static final int ITEM_END = 0xFFFEE00D;
  private static final int SEQUENCE_END = 0xFFFEE0DD;
  private static final long UNDEFINED = 0xFFFFFFFFL;

  private DicomImages() {}

  /** Whether the file starts like DICOM Part 10 (128-byte preamble then "DICM"). */
  public static boolean looksLikeDicom(byte[] head) {
    return head.length >= 132
        && head[128] == 'D'
        && head[129] == 'I'
        && head[130] == 'C'
        && head[131] == 'M';
  }

  public static GrayImage read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > DICOM_FILE_BYTES_MAX) {
      throw new ImageFormatException(
          file + ": " + size + " bytes exceeds the DICOM limit of " + DICOM_FILE_BYTES_MAX);
    }
    return parse(file.toString(), Files.readAllBytes(file));
  }

  static GrayImage parse(String name, byte[] bytes) throws ImageFormatException {
    return new Parser(name, bytes).parse();
  }

  /**
   * The file's Modality (0008,0060), e.g. "CT" or "MR", or "" when absent or not a plain code. The
   * only tag Prosima keeps of a DICOM file: it says what kind of image it is and identifies nobody.
   */
  public static String modality(Path file) throws IOException {
    long size = Files.size(file);
    if (size > DICOM_FILE_BYTES_MAX) {
      throw new ImageFormatException(
          file + ": " + size + " bytes exceeds the DICOM limit of " + DICOM_FILE_BYTES_MAX);
    }
    Parser parser = new Parser(file.toString(), Files.readAllBytes(file));
    parser.parse();
    String m = parser.modality.trim();
    return m.matches("[A-Z0-9]{1,16}") ? m : "";
  }

  private static final class Parser {
    private final String name;
    private final ByteBuffer buf;
    private boolean explicit = true;
    private String transferSyntax;
    private int rows = -1;
    private int columns = -1;
    private int bitsAllocated = -1;
    private int bitsStored = -1;
    private int pixelRepresentation = 0;
    private int samplesPerPixel = 1;
    private String photometric = "MONOCHROME2";
    private String modality = "";
    private double slope = 1;
    private double intercept = 0;
    private int pixelOffset = -1;
    private long pixelLength = -1;

    Parser(String name, byte[] bytes) {
      this.name = name;
      this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    GrayImage parse() throws ImageFormatException {
      if (!looksLikeDicom(buf.array())) {
        throw fail("not a DICOM Part 10 file (no DICM marker at offset 128)");
      }
      buf.position(132);
      // File meta group: always explicit VR little endian.
      while (buf.remaining() >= 4 && (buf.getShort(buf.position()) & 0xFFFF) == 0x0002) {
        element(0);
      }
      if (transferSyntax == null) {
        throw fail("file meta information has no transfer syntax (0002,0010)");
      }
      switch (transferSyntax) {
        case IMPLICIT_LE -> explicit = false;
        case EXPLICIT_LE -> explicit = true;
        case EXPLICIT_BE -> {
          explicit = true;
          buf.order(ByteOrder.BIG_ENDIAN);
        }
        default ->
            throw fail(
                "transfer syntax "
                    + transferSyntax
                    + " is compressed or unsupported; only uncompressed implicit/explicit VR"
                    + " little endian and explicit VR big endian are read");
      }
      while (buf.remaining() > 0 && pixelOffset < 0) {
        element(0);
      }
      return image();
    }

    private void element(int depth) throws ImageFormatException {
      int start = buf.position();
      need(8, "element header", start);
      int group = buf.getShort() & 0xFFFF;
      int elem = buf.getShort() & 0xFFFF;
      int tag = (group << 16) | elem;
      String vr = null;
      long length;
      boolean meta = group == 0x0002;
      ByteOrder order = buf.order();
      if (meta) {
        buf.order(ByteOrder.LITTLE_ENDIAN);
      }
      if ((explicit || meta) && group != 0xFFFE) {
        vr = new String(new byte[] {buf.get(), buf.get()}, StandardCharsets.US_ASCII);
        if (isLongVr(vr)) {
          need(6, "element length", start);
          buf.getShort();
          length = buf.getInt() & 0xFFFFFFFFL;
        } else {
          length = buf.getShort() & 0xFFFF;
        }
      } else {
        length = buf.getInt() & 0xFFFFFFFFL;
      }
      buf.order(order);
      if (tag == PIXEL_DATA) {
        if (length == UNDEFINED) {
          throw fail("pixel data is encapsulated (compressed); not supported");
        }
        need(length, "pixel data", start);
        pixelOffset = buf.position();
        pixelLength = length;
        buf.position(buf.position() + (int) length);
        return;
      }
      if (length == UNDEFINED) {
        if (depth >= SEQUENCE_DEPTH_MAX) {
          throw fail("sequences nested deeper than " + SEQUENCE_DEPTH_MAX);
        }
        skipUndefinedSequence(depth + 1, start);
        return;
      }
      need(length, tagName(tag), start);
      int valueStart = buf.position();
      if (depth == 0) {
        ByteOrder valueOrder = meta ? ByteOrder.LITTLE_ENDIAN : buf.order();
        interpret(tag, valueStart, (int) length, valueOrder);
      }
      buf.position(valueStart + (int) length);
    }

    private void skipUndefinedSequence(int depth, int start) throws ImageFormatException {
      while (true) {
        need(8, "sequence item header", start);
        int group = buf.getShort() & 0xFFFF;
        int elem = buf.getShort() & 0xFFFF;
        int tag = (group << 16) | elem;
        long length = buf.getInt() & 0xFFFFFFFFL;
        if (tag == SEQUENCE_END) {
          return;
        }
        if (tag != ITEM) {
          throw fail("expected a sequence item at offset " + (buf.position() - 8));
        }
        if (length == UNDEFINED) {
          while (true) {
            need(4, "item element", start);
            int next =
                ((buf.getShort(buf.position()) & 0xFFFF) << 16)
                    | (buf.getShort(buf.position() + 2) & 0xFFFF);
            if (next == ITEM_END) {
              need(8, "item delimiter", start);
              buf.position(buf.position() + 8);
              break;
            }
            element(depth);
          }
        } else {
          need(length, "sequence item", start);
          buf.position(buf.position() + (int) length);
        }
      }
    }

    private void interpret(int tag, int at, int length, ByteOrder order)
        throws ImageFormatException {
      switch (tag) {
        case 0x00020010 -> transferSyntax = string(at, length);
        case 0x00080060 -> modality = string(at, length);
        case 0x00280002 -> samplesPerPixel = u16(at, length, order, tag);
        case 0x00280004 -> photometric = string(at, length);
        case 0x00280010 -> rows = u16(at, length, order, tag);
        case 0x00280011 -> columns = u16(at, length, order, tag);
        case 0x00280100 -> bitsAllocated = u16(at, length, order, tag);
        case 0x00280101 -> bitsStored = u16(at, length, order, tag);
        case 0x00280103 -> pixelRepresentation = u16(at, length, order, tag);
        case 0x00281052 -> intercept = decimal(at, length, tag);
        case 0x00281053 -> slope = decimal(at, length, tag);
        default -> {}
      }
    }

    private GrayImage image() throws ImageFormatException {
      if (pixelOffset < 0) {
        throw fail("no pixel data (7FE0,0010); the file may be truncated");
      }
      if (rows <= 0 || columns <= 0) {
        throw fail("missing or zero Rows/Columns (" + rows + "x" + columns + ")");
      }
      ImageLimits.checkSize(name, columns, rows);
      if (samplesPerPixel != 1 || !photometric.startsWith("MONOCHROME")) {
        throw fail(
            "only grayscale is supported (samples per pixel "
                + samplesPerPixel
                + ", photometric "
                + photometric
                + ")");
      }
      if (bitsAllocated != 8 && bitsAllocated != 16) {
        throw fail("bits allocated " + bitsAllocated + " is not supported (8 or 16)");
      }
      if (bitsStored <= 0 || bitsStored > bitsAllocated) {
        bitsStored = bitsAllocated;
      }
      int bytesPer = bitsAllocated / 8;
      long needed = (long) rows * columns * bytesPer;
      if (pixelLength < needed) {
        throw fail(
            "pixel data has "
                + pixelLength
                + " bytes but "
                + columns
                + "x"
                + rows
                + "x"
                + bitsAllocated
                + " bits needs "
                + needed
                + " (truncated or wrong dimensions)");
      }
      if (!Double.isFinite(slope) || slope == 0 || !Double.isFinite(intercept)) {
        throw fail("invalid rescale slope/intercept " + slope + "/" + intercept);
      }
      float[] px = new float[rows * columns];
      int mask = (1 << bitsStored) - 1;
      int shift = 32 - bitsStored;
      for (int i = 0; i < px.length; i++) {
        int raw =
            bytesPer == 1
                ? buf.get(pixelOffset + i) & 0xFF
                : buf.getShort(pixelOffset + 2 * i) & 0xFFFF;
        int v = pixelRepresentation == 1 ? (raw << shift) >> shift : raw & mask;
        px[i] = (float) (slope * v + intercept);
      }
      return new GrayImage(columns, rows, px);
    }

    private void need(long bytes, String what, int elementStart) throws ImageFormatException {
      if (bytes > buf.remaining()) {
        throw fail(
            "truncated: "
                + what
                + " at offset "
                + elementStart
                + " needs "
                + bytes
                + " bytes but only "
                + buf.remaining()
                + " remain");
      }
    }

    private String string(int at, int length) {
      byte[] b = new byte[length];
      buf.get(at, b);
      return new String(b, StandardCharsets.US_ASCII).replace("\0", "").trim();
    }

    private int u16(int at, int length, ByteOrder order, int tag) throws ImageFormatException {
      if (length != 2) {
        throw fail(tagName(tag) + " has length " + length + ", expected 2");
      }
      return ByteBuffer.wrap(buf.array(), at, 2).order(order).getShort() & 0xFFFF;
    }

    private double decimal(int at, int length, int tag) throws ImageFormatException {
      String s = string(at, length);
      int backslash = s.indexOf('\\');
      if (backslash >= 0) {
        s = s.substring(0, backslash);
      }
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        throw fail(tagName(tag) + " is not a decimal string: '" + s + "'");
      }
    }

    private ImageFormatException fail(String message) {
      return new ImageFormatException(name + ": DICOM: " + message);
    }
  }

  private static boolean isLongVr(String vr) {
    return switch (vr) {
      case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" -> true;
      default -> false;
    };
  }

  private static String tagName(int tag) {
    return String.format(Locale.ROOT, "element (%04X,%04X)", tag >>> 16, tag & 0xFFFF);
  }
}
