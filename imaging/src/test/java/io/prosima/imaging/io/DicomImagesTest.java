package io.prosima.imaging.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.imaging.testsupport.SharedData;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reference values from pydicom; see src/test/resources/dicom/README.md. */
class DicomImagesTest {
  static final Path SHARED = SharedData.resolve("dicom");

  static Path shared(String name) {
    Path p = SHARED.resolve(name);
    if (Files.isRegularFile(p)) {
      return p;
    }
    // The same files ship with Debian's python3-pydicom.
    return Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files").resolve(name);
  }

  static Path resource(String name) throws URISyntaxException {
    return Path.of(DicomImagesTest.class.getResource("/dicom/" + name).toURI());
  }

  static double sum(GrayImage img) {
    double s = 0;
    for (float v : img.pixels()) {
      s += v;
    }
    return s;
  }

  @Test
  void ctSmallIsReadWithItsRescaleInterceptApplied() throws Exception {
    Path ct = shared("CT_small.dcm");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(ct), "CT_small.dcm missing");
    GrayImage img = DicomImages.read(ct);
    assertEquals(128, img.width());
    assertEquals(128, img.height());
    assertEquals(-849f, img.get(0, 0));
    assertEquals(-839f, img.get(20, 10));
    float[] px = img.pixels();
    assertEquals(-896f, min(px));
    assertEquals(1167f, max(px));
    assertEquals(-1950906.0, sum(img));
  }

  @Test
  void theModalityIsTheOnlyTagReadForTheLedger() throws Exception {
    Path ct = shared("CT_small.dcm");
    Path mr = shared("MR_small.dcm");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(ct), "CT_small.dcm missing");
    assertEquals("CT", DicomImages.modality(ct));
    assertEquals("MR", DicomImages.modality(mr));
  }

  @Test
  void mrSmallReadsTheSameInExplicitImplicitAndBigEndianSyntaxes() throws Exception {
    Path mr = shared("MR_small.dcm");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(mr), "MR_small.dcm missing");
    GrayImage explicit = DicomImages.read(mr);
    assertEquals(64, explicit.width());
    assertEquals(905f, explicit.get(0, 0));
    assertEquals(316f, explicit.get(20, 10));
    assertEquals(2125338.0, sum(explicit));
    assertEquals(explicit, DicomImages.read(resource("MR_small_implicit.dcm")));
    assertEquals(explicit, DicomImages.read(resource("MR_small_bigendian.dcm")));
  }

  @Test
  void aTruncatedFileIsRefusedWithAClearMessage() {
    Path truncated = shared("MR_truncated.dcm");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(truncated));
    ImageFormatException e =
        assertThrows(ImageFormatException.class, () -> DicomImages.read(truncated));
    assertTrue(e.getMessage().contains("MR_truncated.dcm"), e.getMessage());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void rleAndJpeg2000LosslessCopiesOfMrSmallReadLikeTheUncompressedFile() throws Exception {
    GrayImage implicit = DicomImages.read(resource("MR_small_implicit.dcm"));
    assertEquals(implicit, DicomImages.read(resource("MR_small_RLE.dcm")));
    assertEquals(implicit, DicomImages.read(resource("MR_small_jp2klossless.dcm")));
    assertEquals(implicit, DicomImages.read(resource("MR_small_jpeg_sv1.dcm")));
  }

  @Test
  void unknownTransferSyntaxesAreRefusedByUid() throws Exception {
    byte[] bytes = Files.readAllBytes(resource("MR_small_RLE.dcm"));
    byte[] uid = "1.2.840.10008.1.2.5\0".getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(bytes, uid);
    assertTrue(at > 0);
    bytes[at + uid.length - 2] = '9'; // 1.2.840.10008.1.2.9: no such syntax
    ImageFormatException e =
        assertThrows(ImageFormatException.class, () -> DicomImages.parse("x", bytes));
    assertTrue(e.getMessage().contains("1.2.840.10008.1.2.9 is not supported"), e.getMessage());
  }

  @Test
  void everyTruncationOfAValidFileIsRefusedNeverCrashes(@TempDir Path tmp) throws Exception {
    byte[] full = Files.readAllBytes(resource("MR_small_implicit.dcm"));
    for (int len = 0; len < full.length; len += 97) {
      byte[] cut = Arrays.copyOf(full, len);
      assertThrows(
          ImageFormatException.class, () -> DicomImages.parse("cut", cut), "length " + len);
    }
  }

  @Test
  void dimensionsThatDoNotMatchThePixelDataAreRefused() throws Exception {
    byte[] bytes = Files.readAllBytes(resource("MR_small_implicit.dcm"));
    // Rows (0028,0010) in implicit VR LE: tag 28 00 10 00, length 02 00 00 00, value.
    byte[] rowsTag = {0x28, 0x00, 0x10, 0x00, 0x02, 0x00, 0x00, 0x00};
    int at = indexOf(bytes, rowsTag);
    assertTrue(at > 0);
    bytes[at + 8] = (byte) 0x80; // 64 -> 128 rows
    byte[] edited = bytes;
    ImageFormatException e =
        assertThrows(ImageFormatException.class, () -> DicomImages.parse("edited", edited));
    assertTrue(e.getMessage().contains("wrong dimensions"), e.getMessage());
  }

  @Test
  void imagesAboveThePixelLimitAreRefusedBeforeAllocating() throws Exception {
    byte[] bytes = Files.readAllBytes(resource("MR_small_implicit.dcm"));
    byte[] rowsTag = {0x28, 0x00, 0x10, 0x00, 0x02, 0x00, 0x00, 0x00};
    byte[] colsTag = {0x28, 0x00, 0x11, 0x00, 0x02, 0x00, 0x00, 0x00};
    int r = indexOf(bytes, rowsTag);
    int c = indexOf(bytes, colsTag);
    bytes[r + 8] = (byte) 0xFF;
    bytes[r + 9] = (byte) 0xFF;
    bytes[c + 8] = (byte) 0xFF;
    bytes[c + 9] = (byte) 0xFF;
    ImageFormatException e =
        assertThrows(ImageFormatException.class, () -> DicomImages.parse("huge", bytes));
    assertTrue(e.getMessage().contains("imagePixelsMax"), e.getMessage());
  }

  @Test
  void aFileWithoutTheDicmMarkerIsNotDicom() {
    ImageFormatException e =
        assertThrows(ImageFormatException.class, () -> DicomImages.parse("x", new byte[200]));
    assertTrue(e.getMessage().contains("not a DICOM"), e.getMessage());
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static float min(float[] x) {
    float m = Float.POSITIVE_INFINITY;
    for (float v : x) {
      m = Math.min(m, v);
    }
    return m;
  }

  static float max(float[] x) {
    float m = Float.NEGATIVE_INFINITY;
    for (float v : x) {
      m = Math.max(m, v);
    }
    return m;
  }
}
