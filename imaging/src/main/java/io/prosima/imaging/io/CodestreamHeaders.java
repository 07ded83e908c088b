package io.prosima.imaging.io;

/**
 * What a JPEG or JPEG 2000 codestream says about its own image, read from its frame header (JPEG
 * SOF, JPEG 2000 SIZ) without decoding. The DICOM reader compares this with Rows, Columns and
 * Samples per Pixel before handing the codestream to a decoder, so a codestream cannot make the
 * decoder allocate for an image other than the one the (already checked) header describes.
 */
final class CodestreamHeaders {
  /** Width, height, components, bits per sample and (JPEG) the SOF marker's process. */
  record Frame(int width, int height, int components, int precision, int sofMarker) {}

  /** JPEG 2000 Part 1 numbers tiles 0..65534. */
  static final long J2K_TILES_MAX = 65535;

  /** Deepest sample precision the decoders are asked for. */
  static final int PRECISION_BITS_MAX = 16;

  private CodestreamHeaders() {}

  /** The JPEG frame header (the first SOFn), or null when there is none before SOS or the end. */
  static Frame jpeg(byte[] b) {
    if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
      return null;
    }
    int i = 2;
    while (i + 4 <= b.length) {
      if ((b[i] & 0xFF) != 0xFF) {
        return null;
      }
      int marker = b[i + 1] & 0xFF;
      if (marker == 0xFF) {
        i++; // fill byte
        continue;
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        i += 2; // markers without a length
        continue;
      }
      int length = u16(b, i + 2);
      if (length < 2) {
        return null;
      }
      boolean sof =
          marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (sof || marker == 0xF7) { // 0xF7: JPEG-LS SOF55
        if (i + 10 > b.length) {
          return null;
        }
        return new Frame(u16(b, i + 7), u16(b, i + 5), b[i + 9] & 0xFF, b[i + 4] & 0xFF, marker);
      }
      if (marker == 0xDA || marker == 0xD9) {
        return null;
      }
      i += 2 + length;
    }
    return null;
  }

  /** The JPEG 2000 SIZ marker segment, of a raw codestream or inside a JP2 file's jp2c box. */
  static Frame jpeg2000(byte[] b) {
    int cs = 0;
    if (DicomPixelData.isJp2Signature(b)) {
      cs = jp2Codestream(b);
      if (cs < 0) {
        return null;
      }
    }
    // SOC (FF4F) then SIZ (FF51): Lsiz Rsiz Xsiz Ysiz XOsiz YOsiz XTsiz YTsiz XTOsiz YTOsiz Csiz.
    if (cs + 42 > b.length || u16(b, cs) != 0xFF4F || u16(b, cs + 2) != 0xFF51) {
      return null;
    }
    int siz = cs + 4;
    long x = u32(b, siz + 4);
    long y = u32(b, siz + 8);
    long x0 = u32(b, siz + 12);
    long y0 = u32(b, siz + 16);
    long tileW = u32(b, siz + 20);
    long tileH = u32(b, siz + 24);
    long tileX0 = u32(b, siz + 28);
    long tileY0 = u32(b, siz + 32);
    int components = u16(b, siz + 36);
    if (x <= x0 || y <= y0 || x - x0 > Integer.MAX_VALUE || y - y0 > Integer.MAX_VALUE) {
      return null;
    }
    if (tileW == 0 || tileH == 0 || tileX0 > x0 || tileY0 > y0) {
      return null;
    }
    long tiles = ((x - tileX0 + tileW - 1) / tileW) * ((y - tileY0 + tileH - 1) / tileH);
    if (tiles > J2K_TILES_MAX) {
      return null; // the tile index (Isot) is 16 bits: more tiles is not a valid codestream
    }
    int precision = siz + 38 < b.length ? (b[siz + 38] & 0x7F) + 1 : 0;
    return new Frame((int) (x - x0), (int) (y - y0), components, precision, 0);
  }

  /** Offset of the codestream in a JP2 file's jp2c box, or -1. */
  private static int jp2Codestream(byte[] b) {
    long i = 0;
    while (i + 8 <= b.length) {
      long length = u32(b, (int) i);
      int type = (int) u32(b, (int) i + 4);
      int header = 8;
      if (length == 1) {
        if (i + 16 > b.length) {
          return -1;
        }
        length = (u32(b, (int) i + 8) << 32) | u32(b, (int) i + 12);
        header = 16;
      } else if (length == 0) {
        length = b.length - i;
      }
      if (type == 0x6A703263) { // "jp2c"
        return (int) (i + header);
      }
      if (length < header) {
        return -1;
      }
      i += length;
    }
    return -1;
  }

  private static int u16(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  private static long u32(byte[] b, int at) {
    return ((long) u16(b, at) << 16) | u16(b, at + 2);
  }
}
