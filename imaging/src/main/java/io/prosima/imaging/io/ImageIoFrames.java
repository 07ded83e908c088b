package io.prosima.imaging.io;

import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes one JPEG or JPEG 2000 frame of a DICOM file with ImageIO plug-ins from Maven Central:
 * TwelveMonkeys' JPEG reader (8-bit baseline/extended/progressive through the JDK's decoder, and
 * lossless process 14 up to 16 bits with its own) and jai-imageio's JPEG 2000 reader. The
 * codestream's own frame header is checked against the DICOM header first.
 */
final class ImageIoFrames {
  private static final String TWELVEMONKEYS_PACKAGE = "com.twelvemonkeys.";
  private static final int SOF_LOSSLESS = 0xC3;
  private static final int SOF_JPEG_LS = 0xF7;

  private ImageIoFrames() {}

  /** A decoded frame; {@code rgb} false means three samples whose first is luma (Y). */
  record Decoded(Raster raster, boolean rgb) {}

  static Decoded decode(byte[] frame, DicomHeader h) throws IOException {
    boolean jpeg = h.syntax.codec == DicomTransferSyntax.Codec.JPEG;
    CodestreamHeaders.Frame f =
        jpeg ? CodestreamHeaders.jpeg(frame) : CodestreamHeaders.jpeg2000(frame);
    if (f == null) {
      throw h.fail(
          (jpeg ? "JPEG" : "JPEG 2000") + " frame header not found: not a valid codestream");
    }
    if (f.width() != h.columns || f.height() != h.rows || f.components() != h.samplesPerPixel) {
      throw h.fail(
          "codestream is "
              + f.width()
              + "x"
              + f.height()
              + "x"
              + f.components()
              + " but the header says "
              + h.columns
              + "x"
              + h.rows
              + "x"
              + h.samplesPerPixel);
    }
    if (f.precision() > CodestreamHeaders.PRECISION_BITS_MAX) {
      throw h.fail("codestream has " + f.precision() + "-bit samples; at most 16 are read");
    }
    if (jpeg) {
      checkJpegProcess(f, h);
    }
    ImageReader reader = jpeg ? jpegReader(h) : jpeg2000Reader(h);
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(frame))) {
      reader.setInput(in, true, true);
      // Grey frames, and JPEG frames the header says are YCbCr, as raw samples: no colour model to
      // misjudge signed data, and Y as coded rather than recomputed from clamped RGB. Other colour
      // frames through the decoder's own colour conversion, so they arrive as RGB.
      boolean rawY = jpeg && h.samplesPerPixel == 3 && h.photometric.startsWith("YBR_FULL");
      boolean raw = (h.samplesPerPixel == 1 || rawY) && reader.canReadRaster();
      Raster r = raw ? reader.readRaster(0, null) : reader.read(0).getRaster();
      if (r.getWidth() != h.columns
          || r.getHeight() != h.rows
          || r.getNumBands() != h.samplesPerPixel) {
        throw h.fail("codestream decoded to an image other than the header's");
      }
      return new Decoded(r, !(raw && rawY));
    } catch (IOException | RuntimeException e) {
      if (e instanceof ImageFormatException ife) {
        throw ife;
      }
      throw h.fail("cannot decode the " + h.syntax.title + " frame: " + oneLine(e));
    } finally {
      reader.dispose();
    }
  }

  private static void checkJpegProcess(CodestreamHeaders.Frame f, DicomHeader h)
      throws ImageFormatException {
    int sof = f.sofMarker();
    if (sof == SOF_JPEG_LS) {
      throw h.fail("codestream is JPEG-LS, which is not supported");
    }
    if (sof >= 0xC9) {
      throw h.fail(String.format("arithmetic-coded JPEG (SOF%d) is not supported", sof - 0xC0));
    }
    if (sof != SOF_LOSSLESS && f.precision() != 8) {
      throw h.fail(
          f.precision()
              + "-bit lossy JPEG (SOF"
              + (sof - 0xC0)
              + ") is not supported: the Java decoders read only 8-bit DCT JPEG");
    }
  }

  private static ImageReader jpegReader(DicomHeader h) throws ImageFormatException {
    Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg");
    while (it.hasNext()) {
      ImageReader r = it.next();
      if (r.getClass().getName().startsWith(TWELVEMONKEYS_PACKAGE)) {
        return r;
      }
    }
    throw h.fail("no TwelveMonkeys JPEG reader on the class path");
  }

  private static ImageReader jpeg2000Reader(DicomHeader h) throws ImageFormatException {
    Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg2000");
    if (!it.hasNext()) {
      throw h.fail("no JPEG 2000 reader (jai-imageio-jpeg2000) on the class path");
    }
    return it.next();
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replaceAll("\\s+", " ");
  }
}
