package io.prosima.imaging.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compressed, multi-frame, colour, MONOCHROME1 and bits-stored fixtures, each frame compared pixel
 * by pixel with the values pydicom decoded with GDCM's or Pillow's libraries (see
 * src/test/resources/dicom/PROVENANCE.md and make_fixtures.py, which wrote expected/).
 */
class DicomDecodingTest {
  /** One row of expected/expected.csv. */
  record Expected(String file, int frame, int width, int height, int stride, double maxDiff) {
    @Override
    public String toString() {
      return file + " frame " + frame;
    }
  }

  static Path resource(String name) throws URISyntaxException {
    return Path.of(DicomDecodingTest.class.getResource("/dicom/" + name).toURI());
  }

  static List<Expected> expected() throws Exception {
    List<Expected> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(resource("expected/expected.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] c = line.split(",");
      out.add(
          new Expected(
              c[0],
              Integer.parseInt(c[1]),
              Integer.parseInt(c[2]),
              Integer.parseInt(c[3]),
              Integer.parseInt(c[4]),
              Double.parseDouble(c[5])));
    }
    return out;
  }

  static float[] expectedValues(Expected e) throws Exception {
    String name = e.file().replace(".dcm", "") + ".frame" + e.frame() + ".f32.gz";
    try (InputStream in = new GZIPInputStream(Files.newInputStream(resource("expected/" + name)))) {
      ByteBuffer b = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
      float[] v = new float[b.remaining() / 4];
      b.asFloatBuffer().get(v);
      return v;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expected")
  void eachFrameMatchesTheIndependentDecoder(Expected e) throws Exception {
    GrayImage img = DicomImages.read(resource(e.file()), e.frame());
    assertEquals(e.width(), img.width());
    assertEquals(e.height(), img.height());
    float[] want = expectedValues(e);
    int cols = (e.width() + e.stride() - 1) / e.stride();
    double worst = 0;
    int at = 0;
    for (int y = 0; y < e.height(); y += e.stride()) {
      for (int x = 0; x < e.width(); x += e.stride()) {
        double d = Math.abs(img.get(x, y) - want[(y / e.stride()) * cols + x / e.stride()]);
        // Luminance is computed in double by both sides; float storage rounds it.
        worst = Math.max(worst, d);
        at++;
      }
    }
    assertEquals(want.length, at, "expected values for every sampled pixel");
    assertTrue(worst <= e.maxDiff() + 1e-3, e + ": max |difference| " + worst);
  }

  @Test
  void twelveBitLossyJpegIsRefusedWithTheReason() {
    ImageFormatException e =
        assertThrows(
            ImageFormatException.class, () -> DicomImages.read(resource("JPGExtended.dcm")));
    assertTrue(e.getMessage().contains("12-bit lossy JPEG"), e.getMessage());
    assertTrue(e.getMessage().split("\n").length == 1, e.getMessage());
  }

  @Test
  void jpegLsIsRefusedByName() {
    ImageFormatException e =
        assertThrows(
            ImageFormatException.class,
            () -> DicomImages.read(resource("MR_small_jpeg_ls_lossless.dcm")));
    assertTrue(
        e.getMessage().contains("JPEG-LS Lossless (1.2.840.10008.1.2.4.80)"), e.getMessage());
  }

  @Test
  void aFrameOutsideTheFileIsRefused() throws Exception {
    Path f = resource("MR_small_3frames_jpeg.dcm");
    assertEquals(3, DicomImages.frameCount(f));
    for (int frame : new int[] {0, 4}) {
      ImageFormatException e =
          assertThrows(ImageFormatException.class, () -> DicomImages.read(f, frame));
      assertTrue(e.getMessage().contains("outside 1..3"), e.getMessage());
    }
  }

  @Test
  void theSameFramesReadAlikeNativeAndJpegLossless() throws Exception {
    for (int frame = 1; frame <= 3; frame++) {
      assertEquals(
          DicomImages.read(resource("MR_small_3frames.dcm"), frame),
          DicomImages.read(resource("MR_small_3frames_jpeg.dcm"), frame));
    }
  }

  @Test
  void aCodestreamLargerThanTheHeaderSaysIsRefusedBeforeDecoding() throws Exception {
    // Rows 64 -> 32 in the DICOM header: the JPEG's own SOF still says 64x64.
    byte[] bytes = Files.readAllBytes(resource("MR_small_jpeg_sv1.dcm"));
    byte[] rowsTag = {0x28, 0x00, 0x10, 0x00, 'U', 'S', 0x02, 0x00, 0x40, 0x00};
    int at = DicomImagesTest.indexOf(bytes, rowsTag);
    assertTrue(at > 0);
    bytes[at + 8] = 0x20;
    ImageFormatException e =
        assertThrows(ImageFormatException.class, () -> DicomImages.parse("edited", bytes));
    assertTrue(
        e.getMessage().contains("codestream is 64x64x1 but the header says 64x32x1"),
        e.getMessage());
  }

  @Test
  void noMessageCarriesPatientData() throws Exception {
    // MR_small's PatientName; none of our errors may quote a tag value.
    String patient =
        new String(
            Files.readAllBytes(resource("MR_small_jpeg_ls_lossless.dcm")),
            StandardCharsets.ISO_8859_1);
    assertTrue(patient.contains("CompressedSamples^MR1"), "fixture has a patient name");
    ImageFormatException e =
        assertThrows(
            ImageFormatException.class,
            () -> DicomImages.read(resource("MR_small_jpeg_ls_lossless.dcm")));
    assertTrue(!e.getMessage().contains("CompressedSamples"), e.getMessage());
  }

  @Test
  void everyTruncationOfACompressedFileIsRefusedNeverCrashes() throws Exception {
    for (String name :
        new String[] {
          "image_dfl.dcm",
          "MR_small_RLE.dcm",
          "MR_small_jpeg_sv1.dcm",
          "MR_small_jp2klossless.dcm",
          "brain8_jpeg_baseline.dcm",
          "MR_small_3frames_jpeg.dcm"
        }) {
      byte[] full = Files.readAllBytes(resource(name));
      // Cuts after the pixel data leave a complete image: the trailing padding (FFFC,FFFC) some
      // files carry, or the last bytes of a deflate stream, which may end it after the pixels.
      int padding =
          DicomImagesTest.indexOf(
              full, new byte[] {(byte) 0xFC, (byte) 0xFF, (byte) 0xFC, (byte) 0xFF});
      int end = padding > 0 ? padding : full.length - 4;
      for (int len = 0; len < end; len += 61) {
        byte[] cut = java.util.Arrays.copyOf(full, len);
        assertThrows(
            ImageFormatException.class,
            () -> DicomImages.parse("cut", cut),
            name + " cut to " + len + " bytes");
      }
    }
  }

  @Test
  void imageReadersPassTheFrameToDicomAndRefuseItForSingleFrameFormats(@TempDir Path tmp)
      throws Exception {
    Path f = resource("MR_small_3frames_jpeg.dcm");
    assertEquals(DicomImages.read(f, 2), ImageReaders.read(f, 2, -1, 2));
    Path png = tmp.resolve("one.png");
    PngImages.write8(new GrayImage(2, 2, new float[4]), png);
    ImageFormatException e =
        assertThrows(ImageFormatException.class, () -> ImageReaders.read(png, 2, -1, 2));
    assertTrue(e.getMessage().contains("frame 2 asked of a single-frame format"), e.getMessage());
  }
}
