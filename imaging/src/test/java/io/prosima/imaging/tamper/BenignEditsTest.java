package io.prosima.imaging.tamper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.metrics.ImageMetrics;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each benign edit changes the whole image the way it claims, the same way for the same seed. */
class BenignEditsTest {
  private final GrayImage clean = Phantoms.head(0);

  /** A flat mid-grey image, where clipping cannot bend the noise statistics. */
  private static GrayImage grey() {
    float[] px = new float[256 * 256];
    java.util.Arrays.fill(px, 0.5f);
    return new GrayImage(256, 256, px);
  }

  private static void deterministicPerSeed(BenignEdit edit, GrayImage image) throws Exception {
    assertEquals(edit.apply(image, new Random(3)), edit.apply(image, new Random(3)), edit.name());
  }

  @Test
  void gaussianNoiseHasTheStatedSigmaAndFollowsTheSeed() throws Exception {
    for (double sigma : TamperCases.GAUSSIAN_SIGMAS) {
      GaussianNoise noise = new GaussianNoise(sigma);
      GrayImage out = noise.apply(grey(), new Random(1));
      double sumSq = 0;
      for (float v : out.pixels()) {
        sumSq += (v - 0.5) * (v - 0.5);
      }
      assertEquals(sigma, Math.sqrt(sumSq / (256 * 256)), 0.02 * sigma, noise.name());
      deterministicPerSeed(noise, clean);
      assertNotEquals(noise.apply(clean, new Random(1)), noise.apply(clean, new Random(2)));
    }
  }

  @Test
  void ricianNoiseLiftsTheBlackBackground() throws Exception {
    RicianNoise noise = new RicianNoise(TamperCases.RICIAN_SIGMA);
    GrayImage out = noise.apply(clean, new Random(1));
    double background = 0;
    for (int x = 0; x < 20; x++) {
      for (int y = 0; y < 20; y++) {
        background += out.get(x, y);
      }
    }
    // The mean of a Rayleigh variable is sigma * sqrt(pi / 2).
    assertEquals(TamperCases.RICIAN_SIGMA * Math.sqrt(Math.PI / 2), background / 400, 0.004);
    deterministicPerSeed(noise, clean);
  }

  @Test
  void requantisationRoundsToTheNearest8BitLevel() throws Exception {
    float[] px = new float[256 * 256];
    Random random = new Random(4);
    for (int i = 0; i < px.length; i++) {
      px[i] = random.nextInt(65536) / 65535f; // a 16-bit image
    }
    GrayImage sixteen = new GrayImage(256, 256, px);
    GrayImage out = new Requantization().apply(sixteen, new Random(0));
    assertNotEquals(sixteen, out);
    for (int i = 0; i < px.length; i++) {
      float v = out.pixels()[i];
      assertEquals(Math.round(v * 255), v * 255, 1e-3);
      assertTrue(Math.abs(v - px[i]) <= 0.5 / 255 + 1e-6);
    }
    // An 8-bit image is already on those levels.
    GrayImage eight = new Requantization().apply(out, new Random(0));
    assertEquals(out, eight);
  }

  @Test
  void jpegAtQuality90ChangesPixelsSlightly() throws Exception {
    JpegRecompression jpeg = new JpegRecompression(TamperCases.JPEG_QUALITY);
    GrayImage out = jpeg.apply(clean, new Random(0));
    assertNotEquals(clean, out);
    double psnr = ImageMetrics.psnr(out.pixels(), clean.pixels());
    assertTrue(psnr > 35 && psnr < 60, "PSNR " + psnr);
    deterministicPerSeed(jpeg, clean);
  }
}
