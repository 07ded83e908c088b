package io.prosima.imaging.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;

/**
 * Cuts one frame's bytes out of the Pixel Data value, reading forwards from its start: for native
 * data the frame's slice of the value, for encapsulated data the fragments that make up the frame
 * (found through the Basic Offset Table, or by the codec's start marker when the table is empty).
 * Only that frame is held in memory, and its size is checked before it is read; the fragments after
 * it are skipped to the sequence's end, so a truncated file is refused whichever frame is asked
 * for.
 */
final class DicomPixelData {
  /** Compressed data may exceed raw for noise; beyond twice raw plus this it is refused. */
  static final long COMPRESSED_SLACK_BYTES = 1L << 20;

  private DicomPixelData() {}

  /** The native bytes of frame {@code frame} (1-based), as stored. */
  static byte[] nativeFrame(DicomInput in, DicomHeader h, int frame) throws IOException {
    long frameBytes = h.frameBytes();
    long needed = frameBytes * h.frames;
    if (h.pixelLength < needed) {
      throw h.fail(
          "pixel data has "
              + h.pixelLength
              + " bytes but "
              + h.frames
              + " frame(s) of "
              + h.columns
              + "x"
              + h.rows
              + "x"
              + h.samplesPerPixel
              + "x"
              + h.bitsAllocated
              + " bits need "
              + needed
              + " (truncated or wrong dimensions)");
    }
    in.require(h.pixelLength, "pixel data", in.position());
    in.skip((frame - 1) * frameBytes, "frames before frame " + frame);
    return in.bytes(frameBytes, "frame " + frame);
  }

  /** The compressed bytes of frame {@code frame} (1-based): its fragments, concatenated. */
  static byte[] encapsulatedFrame(DicomInput in, DicomHeader h, int frame) throws IOException {
    ByteOrder le = ByteOrder.LITTLE_ENDIAN;
    long compressedMax = 2 * h.frameBytes() + COMPRESSED_SLACK_BYTES;
    long at = in.position();
    if (in.peekTag(le) != DicomHeader.ITEM) {
      throw h.fail("encapsulated pixel data does not start with a Basic Offset Table item");
    }
    in.skip(4, "item tag");
    long botLength = in.u32(le);
    if (botLength % 4 != 0 || botLength > 4L * h.frames) {
      throw h.fail("Basic Offset Table of " + botLength + " bytes for " + h.frames + " frame(s)");
    }
    long[] offsets = new long[(int) (botLength / 4)];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = in.u32(le);
    }
    boolean useTable = offsets.length == h.frames && h.frames > 1;
    long fragmentsStart = in.position();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int current = 0; // the frame the fragment just read belongs to
    while (true) {
      long itemAt = in.position();
      int tag = in.peekTag(le);
      if (tag == DicomHeader.SEQUENCE_END) {
        in.skip(8, "sequence delimiter");
        break;
      }
      if (tag != DicomHeader.ITEM) {
        throw h.fail("expected a pixel data fragment at offset " + itemAt + " (after " + at + ")");
      }
      in.skip(4, "fragment tag");
      long length = in.u32(le);
      in.require(length, "pixel data fragment", itemAt);
      byte[] head = in.bytes(Math.min(length, 12), "fragment start");
      if (h.frames == 1) {
        current = 1;
      } else if (useTable) {
        long rel = itemAt - fragmentsStart;
        while (current < h.frames && offsets[current] <= rel) {
          current++;
        }
      } else if (startsFrame(h.syntax, head) || current == 0) {
        current++;
      }
      if (current == frame) {
        if (out.size() + length > compressedMax) {
          throw h.fail(
              "frame " + frame + " has more than " + compressedMax + " bytes of compressed data");
        }
        out.writeBytes(head);
        out.writeBytes(in.bytes(length - head.length, "pixel data fragment"));
      } else {
        in.skip(length - head.length, "pixel data fragment");
      }
    }
    if (out.size() == 0) {
      throw h.fail("frame " + frame + " has no data in the encapsulated pixel data");
    }
    return out.toByteArray();
  }

  /** Whether a fragment begins a new frame: a codec start marker, or any fragment for RLE. */
  private static boolean startsFrame(DicomTransferSyntax syntax, byte[] head) {
    if (head.length < 2) {
      return false;
    }
    int m0 = head[0] & 0xFF;
    int m1 = head[1] & 0xFF;
    return switch (syntax.codec) {
      case RLE -> true;
      case JPEG -> m0 == 0xFF && m1 == 0xD8;
      case JPEG_2000 -> (m0 == 0xFF && m1 == 0x4F) || isJp2Signature(head);
      default -> false;
    };
  }

  static boolean isJp2Signature(byte[] b) {
    return b.length >= 8
        && b[0] == 0
        && b[1] == 0
        && b[2] == 0
        && b[3] == 0x0C
        && b[4] == 'j'
        && b[5] == 'P'
        && b[6] == ' '
        && b[7] == ' ';
  }
}
