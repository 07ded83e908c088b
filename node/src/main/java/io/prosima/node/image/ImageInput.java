package io.prosima.node.image;

import io.prosima.imaging.io.DicomImages;
import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.io.ImageReaders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An image read for ingest: pixels in [0, 1] (what canonical tiles quantise), the source's sample
 * depth (retrieval writes PNG at that depth) and a non-identifying modality label. Nothing else of
 * the file is kept: DICOM tags, file names and paths never reach the chain.
 */
public record ImageInput(GrayImage unitImage, int sampleBits, String modality) {
  /** PNG bit depth sits at byte 24: 8-byte signature, IHDR length, type, width, height. */
  private static final int PNG_BIT_DEPTH_OFFSET = 24;

  public static ImageInput read(Path file) throws IOException {
    return read(file, 1);
  }

  /** As above, frame {@code frame} (counted from 1) of a multi-frame DICOM file. */
  public static ImageInput read(Path file, int frame) throws IOException {
    return read(file, 2, -1, frame);
  }

  /**
   * As above, with the NIfTI slice named by {@code axis} and {@code index} (-1: the middle one), as
   * `image reconstruct` takes them.
   */
  public static ImageInput read(Path file, int axis, int index, int frame) throws IOException {
    byte[] head = new byte[132];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    GrayImage image = ImageReaders.read(file, axis, index, frame);
    if (isPng(head, n)) {
      // PNG samples are already value / (2^bits - 1): canonical 16-bit tiles hold them exactly.
      int bits = head[PNG_BIT_DEPTH_OFFSET] & 0xFF;
      return new ImageInput(image, bits == 16 ? 16 : 8, "");
    }
    // DICOM and NIfTI carry scanner units: mapped linearly to [0, 1], kept at 16 bits.
    boolean dicom = n == 132 && DicomImages.looksLikeDicom(head);
    return new ImageInput(image.normalizedToUnit(), 16, dicom ? DicomImages.modality(file) : "");
  }

  private static boolean isPng(byte[] head, int n) {
    return n > PNG_BIT_DEPTH_OFFSET
        && (head[0] & 0xFF) == 0x89
        && head[1] == 'P'
        && head[2] == 'N'
        && head[3] == 'G';
  }
}
