package io.prosima.imaging.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@link ImageReaders#read} must do with any file's bytes, for the reader fuzz tests: decode
 * an image within {@link ImageLimits}, or refuse with {@link ImageFormatException}. Anything else
 * thrown (another IOException, a RuntimeException, OutOfMemoryError) escapes as a finding.
 */
final class ReaderContract {
  private static final Path DIR = tempDir();

  private ReaderContract() {}

  private static Path tempDir() {
    try {
      Path dir = Files.createTempDirectory("prosima-reader-fuzz");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads {@code bytes} as a file named {@code name} (the name picks NIfTI and DICOM). */
  static void decodesWithinLimitsOrRefuses(byte[] bytes, String name) throws IOException {
    Path file = DIR.resolve(name);
    Files.write(file, bytes);
    try {
      GrayImage image = ImageReaders.read(file);
      int w = image.width();
      int h = image.height();
      assertTrue(w >= 1 && w <= ImageLimits.IMAGE_SIDE_PX_MAX, "width " + w);
      assertTrue(h >= 1 && h <= ImageLimits.IMAGE_SIDE_PX_MAX, "height " + h);
      assertTrue((long) w * h <= ImageLimits.IMAGE_PIXELS_MAX);
      assertEquals((long) w * h, image.pixels().length);
    } catch (ImageFormatException refused) {
      assertFalse(refused.getMessage() == null || refused.getMessage().isBlank());
    } finally {
      file.toFile().delete();
    }
  }
}
