package io.prosima.imaging.io;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** 8- and 16-bit grayscale PNG, scaled to [0, 1] (value / 255 or / 65535). */
public final class PngImages {
  private PngImages() {}

  public static GrayImage read(Path file) throws IOException {
    BufferedImage img;
    try (InputStream in = Files.newInputStream(file)) {
      img = ImageIO.read(in);
    } catch (IOException | RuntimeException e) {
      throw new ImageFormatException(file + ": not a readable PNG: " + e.getMessage(), e);
    }
    if (img == null) {
      throw new ImageFormatException(file + ": not a readable PNG");
    }
    Raster raster = img.getRaster();
    if (raster.getNumBands() != 1) {
      throw new ImageFormatException(
          file + ": PNG has " + raster.getNumBands() + " channels; only grayscale is supported");
    }
    int bits = img.getColorModel().getComponentSize(0);
    if (bits != 8 && bits != 16) {
      throw new ImageFormatException(
          file + ": PNG has " + bits + "-bit samples; only 8 and 16 are supported");
    }
    ImageLimits.checkSize(file.toString(), img.getWidth(), img.getHeight());
    int w = img.getWidth();
    int h = img.getHeight();
    float max = bits == 8 ? 255f : 65535f;
    int[] samples = raster.getSamples(0, 0, w, h, 0, (int[]) null);
    float[] px = new float[samples.length];
    for (int i = 0; i < px.length; i++) {
      px[i] = samples[i] / max;
    }
    return new GrayImage(w, h, px);
  }

  /** Writes an image clipped to [0, 1] as 8-bit grayscale PNG. */
  public static void write8(GrayImage image, Path file) throws IOException {
    write(image, file, 8);
  }

  /** Writes an image clipped to [0, 1] as 16-bit grayscale PNG. */
  public static void write16(GrayImage image, Path file) throws IOException {
    write(image, file, 16);
  }

  private static void write(GrayImage image, Path file, int bits) throws IOException {
    int w = image.width();
    int h = image.height();
    BufferedImage out =
        new BufferedImage(
            w, h, bits == 8 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_USHORT_GRAY);
    WritableRaster raster = out.getRaster();
    float max = bits == 8 ? 255f : 65535f;
    float[] px = image.raw();
    int[] samples = new int[px.length];
    for (int i = 0; i < px.length; i++) {
      samples[i] = Math.round(Math.min(1f, Math.max(0f, px[i])) * max);
    }
    raster.setSamples(0, 0, w, h, 0, samples);
    if (!ImageIO.write(out, "png", file.toFile())) {
      throw new IOException("no PNG writer available");
    }
  }
}
