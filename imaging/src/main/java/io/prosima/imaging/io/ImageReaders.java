package io.prosima.imaging.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a 2-D image from PNG, DICOM or NIfTI-1 by content (DICOM, gzip/NIfTI) or file name. NIfTI
 * volumes give the slice named by {@code axis} and {@code index} (default: the middle axial slice).
 */
public final class ImageReaders {
  private ImageReaders() {}

  public static GrayImage read(Path file) throws IOException {
    return read(file, 2, -1);
  }

  /** {@code index} -1 means the middle slice on {@code axis} (NIfTI only). */
  public static GrayImage read(Path file, int axis, int index) throws IOException {
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
      return DicomImages.read(file);
    }
    if (name.endsWith(".nii") || name.endsWith(".nii.gz")) {
      int i = index;
      if (i < 0) {
        i = NiftiImages.dimensions(file)[axis] / 2;
      }
      return NiftiImages.readSlice(file, axis, i);
    }
    if (n >= 8 && (head[0] & 0xFF) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
      return PngImages.read(file);
    }
    if (name.endsWith(".dcm")) {
      return DicomImages.read(file);
    }
    throw new ImageFormatException(
        file + ": unknown image format (PNG, DICOM Part 10 or NIfTI-1 .nii/.nii.gz expected)");
  }
}
