package io.prosima.imaging.tamper;

import io.prosima.imaging.io.GrayImage;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * A round trip through baseline 8-bit grayscale JPEG at {@code quality} (0..100, the usual scale;
 * javax.imageio takes quality / 100), as when a copy is mailed or put in a report.
 */
public record JpegRecompression(int quality) implements BenignEdit {
  public JpegRecompression {
    if (quality < 1 || quality > 100) {
      throw new IllegalArgumentException("JPEG quality must be 1..100: " + quality);
    }
  }

  @Override
  public String name() {
    return String.format(Locale.ROOT, "jpeg q%d", quality);
  }

  @Override
  public GrayImage apply(GrayImage clean, Random random) throws IOException {
    int w = clean.width();
    int h = clean.height();
    BufferedImage gray = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster raster = gray.getRaster();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        raster.setSample(x, y, 0, Math.round(Math.min(1f, Math.max(0f, clean.get(x, y))) * 255f));
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    if (!writers.hasNext()) {
      throw new IOException("no JPEG writer in javax.imageio");
    }
    ImageWriter writer = writers.next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality / 100f);
      writer.write(null, new IIOImage(gray, null, null), param);
    } finally {
      writer.dispose();
    }
    BufferedImage back = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
    if (back == null || back.getWidth() != w || back.getHeight() != h) {
      throw new IOException("JPEG round trip did not give a " + w + "x" + h + " image");
    }
    float[] px = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        px[y * w + x] = back.getRaster().getSample(x, y, 0) / 255f;
      }
    }
    return new GrayImage(w, h, px);
  }
}
