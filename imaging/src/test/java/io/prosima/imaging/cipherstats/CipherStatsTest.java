package io.prosima.imaging.cipherstats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.imaging.cipherstats.CipherStats.Direction;
import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CipherStatsTest {
  private static final long SEED = 77L;

  @Test
  void identicalImagesHaveZeroNpcrAndUaciAndComplementsHaveFullNpcr() {
    byte[] a = new byte[256];
    byte[] inv = new byte[256];
    for (int i = 0; i < 256; i++) {
      a[i] = (byte) i;
      inv[i] = (byte) (255 - i);
    }
    assertEquals(0, CipherStats.npcr(a, a.clone()));
    assertEquals(0, CipherStats.uaci(a, a.clone()));
    assertEquals(1, CipherStats.npcr(a, inv));
    byte[] zeros = new byte[4];
    byte[] full = {(byte) 255, (byte) 255, (byte) 255, (byte) 255};
    assertEquals(1.0, CipherStats.uaci(zeros, full), 1e-12);
  }

  @Test
  void entropyIsEightBitsForAFlatHistogramAndZeroForAConstant() {
    byte[] flat = new byte[256 * 10];
    for (int i = 0; i < flat.length; i++) {
      flat[i] = (byte) i;
    }
    assertEquals(8.0, CipherStats.entropyBits(flat), 1e-12);
    assertEquals(0.0, CipherStats.entropyBits(new byte[100]), 1e-12);
  }

  @Test
  void aSmoothImageIsStronglyCorrelatedAndRandomBytesAreNot() {
    int w = 256;
    byte[] smooth = new byte[w * w];
    for (int y = 0; y < w; y++) {
      for (int x = 0; x < w; x++) {
        smooth[y * w + x] = (byte) ((x + y) / 2);
      }
    }
    byte[] noise = new byte[w * w];
    new Random(SEED).nextBytes(noise);
    for (Direction d : Direction.values()) {
      assertTrue(CipherStats.adjacentCorrelation(smooth, w, w, d) > 0.95, d.name());
      assertTrue(
          Math.abs(CipherStats.adjacentCorrelation(noise, w, w, d)) < 0.02,
          "seed=" + SEED + " " + d);
    }
  }

  @Test
  void cipherImagesOfAnImageAndItsOnePixelChangeLookIndependentAndRandom() throws Exception {
    SecureRandom rnd = SecureRandom.getInstance("SHA1PRNG");
    rnd.setSeed(SEED);
    int w = 256;
    byte[] img = new byte[w * w];
    for (int i = 0; i < img.length; i++) {
      img[i] = (byte) ((i % w) / 4); // a dark horizontal ramp
    }
    CipherImageExperiment.Result r = CipherImageExperiment.run(img, w, w, 1, rnd);
    assertArrayEquals(img, r.plainBytes());
    assertFalse(java.util.Arrays.equals(r.cipherA(), img));
    long m = img.length;
    // α = 0.001: a seeded run, but even unseeded a correct cipher would fail 1 run in 1000.
    assertTrue(
        CipherStats.npcr(r.cipherA(), r.cipherB())
            >= RandomnessThresholds.npcrCritical(m, 255, 0.001),
        "seed=" + SEED);
    double[] iv = RandomnessThresholds.uaciInterval(m, 255, 0.001);
    double u = CipherStats.uaci(r.cipherA(), r.cipherB());
    assertTrue(u >= iv[0] && u <= iv[1], "seed=" + SEED + " uaci=" + u);
    assertTrue(CipherStats.entropyBits(r.cipherA()) > 7.99, "seed=" + SEED);
  }

  @Test
  void sixteenBitImagesAreEncryptedAsTheirBigEndianBytes() throws Exception {
    SecureRandom rnd = SecureRandom.getInstance("SHA1PRNG");
    rnd.setSeed(SEED + 1);
    byte[] img = new byte[2 * 30 * 20];
    rnd.nextBytes(img);
    byte[] copy = img.clone();
    CipherImageExperiment.Result r = CipherImageExperiment.run(img, 30, 20, 2, rnd);
    assertEquals(60, r.byteWidth());
    assertEquals(img.length, r.cipherA().length);
    assertArrayEquals(copy, img, "the input is not modified");
    assertEquals(img.length, r.cipherB().length);
  }
}
