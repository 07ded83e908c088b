package io.prosima.imaging.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a 2-D image from PNG, DICOM or NIfTI-1 by content (DICOM, gzip/NIfTI) or file name. NIfTI
 * volumes give the slice named by {@code axis} and {@code index} (default: the middle axial slice);
 * multi-frame DICOM files the frame named by {@code frame} (1-based; default the first).
 */
public final class ImageReaders {
  private ImageReaders() {}

  public static GrayImage read(Path file) throws IOException {
    return read(file, 2, -1);
  }

  /** {@code index} -1 means the middle slice on {@code axis} (NIfTI only). */
  public static GrayImage read(Path file, int axis, int index) throws IOException {
    return read(file, axis, index, 1);
  }

  /**
   * As above; {@code frame} (counted from 1) picks a frame of a multi-frame DICOM file. Other
   * formats have one frame, so any other frame is refused for them.
   */
  public static GrayImage read(Path file, int axis, int index, int frame) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new ImageFormatException(file + ": no such file");
    }
    byte[] head = new byte[132];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n == 132 && DicomImages.looksLikeDicom(head)) {
      return DicomImages.read(file, frame);
    }
    boolean png =
        n >= 8 && (head[0] & 0xFF) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G';
    if (name.endsWith(".dcm") && !png) {
      return DicomImages.read(file, frame);
    }
    if (frame != 1) {
      throw new ImageFormatException(
          file + ": frame " + frame + " asked of a single-frame format (frames are for DICOM)");
    }
    if (name.endsWith(".nii") || name.endsWith(".nii.gz")) {
      int i = index;
      if (i < 0) {
        i = NiftiImages.dimensions(file)[axis] / 2;
      }
      return NiftiImages.readSlice(file, axis, i);
    }
    if (png) {
      return PngImages.read(file);
    }
    throw new ImageFormatException(
        file + ": unknown image format (PNG, DICOM Part 10 or NIfTI-1 .nii/.nii.gz expected)");
  }
}
