package io.prosima.imaging.io;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DICOM Part 10 reader for one frame of an image, as grey values after the Modality LUT rescale.
 *
 * <p>Transfer syntaxes: Implicit VR Little Endian, Explicit VR Little and Big Endian, Deflated
 * Explicit VR Little Endian, RLE Lossless, JPEG Baseline and Lossless (process 14, including SV1)
 * and 8-bit JPEG Extended, JPEG 2000 (lossless and lossy). JPEG-LS, 12-bit lossy JPEG and anything
 * else are refused by name (see {@link DicomTransferSyntax}). Multi-frame files give the frame
 * asked for (1-based, like DICOM's own frame numbers). Samples of 8, 16 or 32 bits allocated, any
 * bits stored, signed or unsigned; MONOCHROME1 is inverted so that larger is brighter; RGB (and
 * YBR) colour is reduced to luminance with a warning.
 *
 * <p>The file is read forwards through bounded buffers: every length is checked against the bytes
 * the file can still hold, and dimensions against {@link ImageLimits}, before anything is
 * allocated; only the chosen frame is held in memory. Errors are one line naming the file, the
 * offset or the attribute at fault, never an attribute's value.
 */
public final class DicomImages {
  private static final Logger LOG = LoggerFactory.getLogger(DicomImages.class);

  /** Largest DICOM file read. */
  public static final long DICOM_FILE_BYTES_MAX = 1L << 29;

  static final String IMPLICIT_LE = DicomTransferSyntax.IMPLICIT_LE.uid;
  static final String EXPLICIT_LE = DicomTransferSyntax.EXPLICIT_LE.uid;
  static final String EXPLICIT_BE = DicomTransferSyntax.EXPLICIT_BE.uid;

  private static final int PREAMBLE_BYTES = 132;

  private DicomImages() {}

  /** Whether the file starts like DICOM Part 10 (128-byte preamble then "DICM"). */
  public static boolean looksLikeDicom(byte[] head) {
    return head.length >= PREAMBLE_BYTES
        && head[128] == 'D'
        && head[129] == 'I'
        && head[130] == 'C'
        && head[131] == 'M';
  }

  /** The first frame. */
  public static GrayImage read(Path file) throws IOException {
    return read(file, 1);
  }

  /** Frame {@code frame} of the file, counting from 1. */
  public static GrayImage read(Path file, int frame) throws IOException {
    long size = checkedSize(file);
    try (InputStream raw = Files.newInputStream(file)) {
      return read(file.toString(), raw, size, frame);
    }
  }

  /** How many frames the file holds (Number of Frames, 1 when absent). */
  public static int frameCount(Path file) throws IOException {
    return header(file).frames;
  }

  /**
   * The file's Modality (0008,0060), e.g. "CT" or "MR", or "" when absent or not a plain code. The
   * only tag Prosima keeps of a DICOM file: it says what kind of image it is and identifies nobody.
   */
  public static String modality(Path file) throws IOException {
    String m = header(file).modality.trim();
    return m.matches("[A-Z0-9]{1,16}") ? m : "";
  }

  static GrayImage parse(String name, byte[] bytes) throws IOException {
    return read(name, new ByteArrayInputStream(bytes), bytes.length, 1);
  }

  private static DicomHeader header(Path file) throws IOException {
    long size = checkedSize(file);
    String name = file.toString();
    try (DicomInput in = open(name, Files.newInputStream(file), size)) {
      DicomHeader h = DicomHeader.read(name, in);
      h.validate();
      return h;
    } catch (ZipException | EOFException e) {
      throw corruptDeflate(name, e);
    }
  }

  private static GrayImage read(String name, InputStream raw, long size, int frame)
      throws IOException {
    try {
      return decode(name, raw, size, frame);
    } catch (ZipException | EOFException e) {
      throw corruptDeflate(name, e);
    }
  }

  /** Only the inflater throws these: a deflated data set that is not valid deflate data. */
  private static ImageFormatException corruptDeflate(String name, IOException e) {
    return new ImageFormatException(
        name + ": DICOM: deflated data set is corrupt or truncated (" + e.getMessage() + ")", e);
  }

  private static GrayImage decode(String name, InputStream raw, long size, int frame)
      throws IOException {
    try (DicomInput in = open(name, raw, size)) {
      DicomHeader h = DicomHeader.read(name, in);
      h.validate();
      if (frame < 1 || frame > h.frames) {
        throw h.fail("frame " + frame + " is outside 1.." + h.frames);
      }
      if (h.samplesPerPixel == 3) {
        LOG.warn(
            "{}: DICOM: {} colour reduced to luminance (0.299 R + 0.587 G + 0.114 B)",
            name,
            h.photometric);
      }
      return switch (h.syntax.codec) {
        case NATIVE -> nativeGray(DicomPixelData.nativeFrame(in, h, frame), h, in.order());
        case RLE ->
            nativeGray(
                RleDecoder.decode(DicomPixelData.encapsulatedFrame(in, h, frame), h),
                h,
                ByteOrder.LITTLE_ENDIAN);
        case JPEG, JPEG_2000 -> {
          byte[] compressed = DicomPixelData.encapsulatedFrame(in, h, frame);
          ImageIoFrames.Decoded d = ImageIoFrames.decode(compressed, h);
          yield DicomFrameConverter.toGray(DicomFrameConverter.ofRaster(d.raster()), h, d.rgb());
        }
        case JPEG_LS -> throw h.fail(h.syntax.refusal());
      };
    }
  }

  /** Native samples: RGB is weighted, YBR_FULL gives its Y plane; subsampled YBR is refused. */
  private static GrayImage nativeGray(byte[] frame, DicomHeader h, ByteOrder order)
      throws ImageFormatException {
    boolean rgb = h.photometric.equals("RGB");
    if (h.samplesPerPixel == 3 && !rgb && !h.photometric.equals("YBR_FULL")) {
      throw h.fail(
          "photometric " + h.photometric + " is not supported uncompressed (RGB or YBR_FULL)");
    }
    return DicomFrameConverter.toGray(DicomFrameConverter.ofNative(frame, h, order), h, rgb);
  }

  private static DicomInput open(String name, InputStream raw, long size) throws IOException {
    DicomInput in = new DicomInput(name, raw, size);
    byte[] preamble = in.bytes(Math.min(size, PREAMBLE_BYTES), "preamble");
    if (!looksLikeDicom(preamble)) {
      in.close();
      throw new ImageFormatException(
          name + ": DICOM: not a DICOM Part 10 file (no DICM marker at offset 128)");
    }
    return in;
  }

  private static long checkedSize(Path file) throws IOException {
    long size = Files.size(file);
    if (size > DICOM_FILE_BYTES_MAX) {
      throw new ImageFormatException(
          file + ": " + size + " bytes exceeds the DICOM limit of " + DICOM_FILE_BYTES_MAX);
    }
    return size;
  }
}
