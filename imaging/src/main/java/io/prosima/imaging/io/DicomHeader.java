package io.prosima.imaging.io;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The image attributes of a DICOM data set, read element by element up to the Pixel Data
 * (7FE0,0010), which is left unread: the input stops at its value. Only the few attributes that
 * describe the pixels are kept (and Modality); every other value, patient data included, is skipped
 * without being read into memory. Messages name tags, never their values.
 */
final class DicomHeader {
  /** Deepest sequence nesting accepted. */
  static final int SEQUENCE_DEPTH_MAX = 16;

  /** Longest value read for an attribute we interpret (all are short numbers or codes). */
  static final int VALUE_BYTES_MAX = 1024;

  /** Largest Number of Frames accepted. */
  static final int FRAMES_MAX = 1 << 16;

  static final long UNDEFINED = 0xFFFFFFFFL;
  static final int PIXEL_DATA = 0x7FE00010;
  static final int ITEM = 0xFFFEE000;
  static final int ITEM_END = 0xFFFEE00D;
  static final int SEQUENCE_END = 0xFFFEE0DD;

  final String name;
  DicomTransferSyntax syntax;
  String transferSyntaxUid;
  int rows = -1;
  int columns = -1;
  int bitsAllocated = -1;
  int bitsStored = -1;
  int pixelRepresentation = 0;
  int samplesPerPixel = 1;
  int planarConfiguration = 0;
  int frames = 1;
  String photometric = "MONOCHROME2";
  String modality = "";
  double slope = 1;
  double intercept = 0;

  /** Offset and length of the Pixel Data value; length {@link #UNDEFINED} when encapsulated. */
  long pixelOffset = -1;

  long pixelLength = -1;

  private boolean explicit = true;

  private DicomHeader(String name) {
    this.name = name;
  }

  /** Reads the header from just after "DICM" up to the pixel data value (or the end). */
  static DicomHeader read(String name, DicomInput in) throws IOException {
    DicomHeader h = new DicomHeader(name);
    h.parse(in);
    return h;
  }

  private void parse(DicomInput in) throws IOException {
    // File meta group: always explicit VR little endian.
    while (in.peekTag(ByteOrder.LITTLE_ENDIAN) >>> 16 == 0x0002) {
      element(in, 0, true, ByteOrder.LITTLE_ENDIAN);
    }
    if (transferSyntaxUid == null) {
      throw fail("file meta information has no transfer syntax (0002,0010)");
    }
    syntax = DicomTransferSyntax.of(transferSyntaxUid);
    if (syntax == null) {
      throw fail("transfer syntax " + transferSyntaxUid + " is not supported");
    }
    if (syntax.refusal() != null) {
      throw fail(syntax.refusal());
    }
    explicit = syntax.explicitVr;
    in.order(syntax.order());
    if (syntax.deflated) {
      in.inflateRest();
    }
    while (pixelOffset < 0 && !in.atEnd()) {
      element(in, 0, explicit, in.order());
    }
  }

  private void element(DicomInput in, int depth, boolean explicitVr, ByteOrder order)
      throws IOException {
    long start = in.position();
    in.require(8, "element header", start);
    int group = in.u16(order);
    int elem = in.u16(order);
    int tag = (group << 16) | elem;
    String vr = null;
    long length;
    if (explicitVr && group != 0xFFFE) {
      vr = in.vr();
      if (isLongVr(vr)) {
        in.require(6, "element length", start);
        in.u16(order);
        length = in.u32(order);
      } else {
        length = in.u16(order);
      }
    } else {
      length = in.u32(order);
    }
    if (tag == PIXEL_DATA && depth == 0) {
      pixelOffset = in.position();
      pixelLength = length;
      return;
    }
    if (length == UNDEFINED) {
      if (depth >= SEQUENCE_DEPTH_MAX) {
        throw fail("sequences nested deeper than " + SEQUENCE_DEPTH_MAX);
      }
      // A UN value of undefined length holds an implicit VR little endian sequence.
      boolean nestedExplicit = explicitVr && !"UN".equals(vr);
      ByteOrder nestedOrder = "UN".equals(vr) ? ByteOrder.LITTLE_ENDIAN : order;
      skipUndefinedSequence(in, depth + 1, nestedExplicit, nestedOrder);
      return;
    }
    in.require(length, tagName(tag), start);
    if (depth == 0 && isInterpreted(tag)) {
      if (length > VALUE_BYTES_MAX) {
        throw fail(tagName(tag) + " has length " + length + ", more than " + VALUE_BYTES_MAX);
      }
      interpret(tag, in.bytes(length, tagName(tag)), order);
    } else {
      in.skip(length, tagName(tag));
    }
  }

  private void skipUndefinedSequence(DicomInput in, int depth, boolean explicitVr, ByteOrder order)
      throws IOException {
    while (true) {
      long at = in.position();
      in.require(8, "sequence item header", at);
      int tag = (in.u16(order) << 16) | in.u16(order);
      long length = in.u32(order);
      if (tag == SEQUENCE_END) {
        return;
      }
      if (tag != ITEM) {
        throw fail("expected a sequence item at offset " + at);
      }
      if (length != UNDEFINED) {
        in.skip(length, "sequence item");
        continue;
      }
      while (true) {
        int next = in.peekTag(order);
        if (next == -1) {
          in.require(8, "item delimiter", in.position());
          throw fail("truncated inside a sequence item at offset " + in.position());
        }
        if (next == ITEM_END) {
          in.skip(8, "item delimiter");
          break;
        }
        element(in, depth, explicitVr, order);
      }
    }
  }

  private static boolean isInterpreted(int tag) {
    return switch (tag) {
      case 0x00020010,
          0x00080060,
          0x00280002,
          0x00280004,
          0x00280006,
          0x00280008,
          0x00280010,
          0x00280011,
          0x00280100,
          0x00280101,
          0x00280103,
          0x00281052,
          0x00281053 ->
          true;
      default -> false;
    };
  }

  private void interpret(int tag, byte[] v, ByteOrder order) throws ImageFormatException {
    switch (tag) {
      case 0x00020010 -> transferSyntaxUid = string(v);
      case 0x00080060 -> modality = string(v);
      case 0x00280002 -> samplesPerPixel = u16(v, order, tag);
      case 0x00280004 -> photometric = string(v);
      case 0x00280006 -> planarConfiguration = u16(v, order, tag);
      case 0x00280008 -> frames = integer(v, tag);
      case 0x00280010 -> rows = u16(v, order, tag);
      case 0x00280011 -> columns = u16(v, order, tag);
      case 0x00280100 -> bitsAllocated = u16(v, order, tag);
      case 0x00280101 -> bitsStored = u16(v, order, tag);
      case 0x00280103 -> pixelRepresentation = u16(v, order, tag);
      case 0x00281052 -> intercept = decimal(v, tag);
      case 0x00281053 -> slope = decimal(v, tag);
      default -> {}
    }
  }

  /**
   * Checks the attributes against each other and the limits; after this the pixel layout is known
   * and bounded. Refuses before any pixel buffer exists.
   */
  void validate() throws ImageFormatException {
    if (pixelOffset < 0) {
      throw fail("no pixel data (7FE0,0010); the file may be truncated");
    }
    if (rows <= 0 || columns <= 0) {
      throw fail("missing or zero Rows/Columns (" + rows + "x" + columns + ")");
    }
    ImageLimits.checkSize(name, columns, rows);
    if (frames < 1 || frames > FRAMES_MAX) {
      throw fail("number of frames " + frames + " is outside 1.." + FRAMES_MAX);
    }
    boolean mono = photometric.equals("MONOCHROME1") || photometric.equals("MONOCHROME2");
    if (samplesPerPixel == 1 && !mono) {
      throw fail("photometric interpretation " + photometric + " is not supported");
    }
    if (samplesPerPixel == 3 && mono) {
      throw fail("3 samples per pixel with photometric " + photometric);
    }
    if (samplesPerPixel != 1 && samplesPerPixel != 3) {
      throw fail("samples per pixel " + samplesPerPixel + " is not supported (1 or 3)");
    }
    if (bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32) {
      throw fail("bits allocated " + bitsAllocated + " is not supported (8, 16 or 32)");
    }
    if (bitsStored <= 0 || bitsStored > bitsAllocated) {
      bitsStored = bitsAllocated;
    }
    if (pixelRepresentation != 0 && pixelRepresentation != 1) {
      throw fail("pixel representation " + pixelRepresentation + " is not 0 or 1");
    }
    if (!Double.isFinite(slope) || slope == 0 || !Double.isFinite(intercept)) {
      throw fail("invalid rescale slope/intercept " + slope + "/" + intercept);
    }
    if (syntax.encapsulated() != (pixelLength == UNDEFINED)) {
      throw fail(
          syntax.encapsulated()
              ? "pixel data of " + syntax.title + " must be encapsulated (undefined length)"
              : "pixel data is encapsulated but " + syntax.title + " is not a compressed syntax");
    }
  }

  /** Bytes of one uncompressed frame. */
  long frameBytes() {
    return (long) rows * columns * samplesPerPixel * (bitsAllocated / 8);
  }

  boolean monochrome1() {
    return photometric.equals("MONOCHROME1");
  }

  ImageFormatException fail(String message) {
    return new ImageFormatException(name + ": DICOM: " + message);
  }

  private static String string(byte[] v) {
    return new String(v, StandardCharsets.US_ASCII).replace("\0", "").trim();
  }

  private int u16(byte[] v, ByteOrder order, int tag) throws ImageFormatException {
    if (v.length != 2) {
      throw fail(tagName(tag) + " has length " + v.length + ", expected 2");
    }
    return DicomInput.u16(v, 0, order);
  }

  private int integer(byte[] v, int tag) throws ImageFormatException {
    String s = string(v);
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw fail(tagName(tag) + " is not an integer string");
    }
  }

  private double decimal(byte[] v, int tag) throws ImageFormatException {
    String s = string(v);
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

  private static boolean isLongVr(String vr) {
    return switch (vr) {
      case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" -> true;
      default -> false;
    };
  }

  static String tagName(int tag) {
    return String.format(Locale.ROOT, "element (%04X,%04X)", tag >>> 16, tag & 0xFFFF);
  }
}
