package io.prosima.imaging.hashcode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HashProjectionTest {
  private static HashProjection random(int d, int bits, long seed) {
    Random r = new Random(seed);
    float[] mean = new float[d];
    float[] m = new float[d * bits];
    float[] t = new float[bits];
    for (int i = 0; i < m.length; i++) {
      m[i] = (float) r.nextGaussian();
    }
    return new HashProjection(d, bits, mean, m, t);
  }

  @Test
  void aProjectionReadBackGivesTheSameCodes() throws IOException {
    HashProjection p = random(32, 128, 1);
    HashProjection back = HashProjection.parse(p.toBytes(), "test");
    Random r = new Random(2);
    for (int i = 0; i < 20; i++) {
      float[] f = new float[32];
      for (int j = 0; j < f.length; j++) {
        f[j] = (float) r.nextGaussian();
      }
      assertArrayEquals(p.code(f), back.code(f));
    }
  }

  @Test
  void bitsFollowTheSignOfEachProjection() {
    // Two features, 8 bits: bit j looks at feature j % 2 with sign + for even j, - for odd.
    float[] m = new float[2 * 8];
    for (int j = 0; j < 8; j++) {
      m[(j % 2) * 8 + j] = j % 4 < 2 ? 1 : -1;
    }
    HashProjection p = new HashProjection(2, 8, new float[2], m, new float[8]);
    // feature (1, 1): bits 0,1 positive; 2,3 negative; 4,5 positive; 6,7 negative.
    assertArrayEquals(new byte[] {(byte) 0b11001100}, p.code(new float[] {1, 1}));
  }

  @Test
  void truncatedCorruptOrHugeFilesAreRefused() {
    byte[] good = random(16, 64, 3).toBytes();
    assertThrows(
        IOException.class, () -> HashProjection.parse(Arrays.copyOf(good, good.length - 1), "t"));
    byte[] badMagic = good.clone();
    badMagic[0] ^= 1;
    assertThrows(IOException.class, () -> HashProjection.parse(badMagic, "t"));
    byte[] hugeDims = good.clone();
    int at = HashProjection.MAGIC.length;
    hugeDims[at] = 0x7f;
    IOException e = assertThrows(IOException.class, () -> HashProjection.parse(hugeDims, "t"));
    assertTrue(e.getMessage().contains("bad dimensions"), e.getMessage());
    byte[] nan = good.clone();
    // First mean value: NaN.
    nan[at + 8] = 0x7f;
    nan[at + 9] = (byte) 0xc0;
    assertThrows(IOException.class, () -> HashProjection.parse(nan, "t"));
  }
}
