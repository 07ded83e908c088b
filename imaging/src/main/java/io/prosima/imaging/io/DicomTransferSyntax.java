package io.prosima.imaging.io;

import java.nio.ByteOrder;

/**
 * The DICOM transfer syntaxes this reader knows: how the data set is encoded (VR, byte order,
 * deflate) and how the pixel data is (native, or encapsulated with a codec). A syntax with a
 * non-null {@link #refusal} is recognised but cannot be decoded, and is refused with that reason.
 */
enum DicomTransferSyntax {
  IMPLICIT_LE("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, Codec.NATIVE),
  EXPLICIT_LE("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, Codec.NATIVE),
  DEFLATED_LE(
      "1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, true, Codec.NATIVE),
  EXPLICIT_BE("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, false, Codec.NATIVE),
  JPEG_BASELINE("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", true, false, Codec.JPEG),
  JPEG_EXTENDED("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", true, false, Codec.JPEG),
  JPEG_LOSSLESS("1.2.840.10008.1.2.4.57", "JPEG Lossless (Process 14)", true, false, Codec.JPEG),
  JPEG_LOSSLESS_SV1(
      "1.2.840.10008.1.2.4.70", "JPEG Lossless (Process 14, SV1)", true, false, Codec.JPEG),
  JPEG_LS_LOSSLESS("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless", true, false, Codec.JPEG_LS),
  JPEG_LS_NEAR_LOSSLESS(
      "1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless", true, false, Codec.JPEG_LS),
  JPEG_2000_LOSSLESS(
      "1.2.840.10008.1.2.4.90", "JPEG 2000 (Lossless Only)", true, false, Codec.JPEG_2000),
  JPEG_2000("1.2.840.10008.1.2.4.91", "JPEG 2000", true, false, Codec.JPEG_2000),
  RLE_LOSSLESS("1.2.840.10008.1.2.5", "RLE Lossless", true, false, Codec.RLE);

  /** How the pixel data of a syntax is stored. */
  enum Codec {
    NATIVE,
    RLE,
    JPEG,
    JPEG_2000,
    JPEG_LS
  }

  final String uid;
  final String title;
  final boolean explicitVr;
  final boolean deflated;
  final Codec codec;

  DicomTransferSyntax(String uid, String title, boolean explicitVr, boolean deflated, Codec codec) {
    this.uid = uid;
    this.title = title;
    this.explicitVr = explicitVr;
    this.deflated = deflated;
    this.codec = codec;
  }

  ByteOrder order() {
    return this == EXPLICIT_BE ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
  }

  boolean encapsulated() {
    return codec != Codec.NATIVE;
  }

  /** Why this syntax cannot be decoded, or null when it can. */
  String refusal() {
    if (codec == Codec.JPEG_LS) {
      return title
          + " ("
          + uid
          + ") is not supported (no JPEG-LS decoder is bundled); convert the file first, e.g."
          + " with dcmdjpls or gdcmconv --raw";
    }
    return null;
  }

  /** The syntax with this UID, or null when it is not one of the above. */
  static DicomTransferSyntax of(String uid) {
    for (DicomTransferSyntax t : values()) {
      if (t.uid.equals(uid)) {
        return t;
      }
    }
    return null;
  }
}
