package io.prosima.imaging.inpaint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LatentContentProbeTest {
  @Test
  void aTileMadeOfEightPixelBlocksIsItsOwnBlockMeansUpsampled() {
    float[] tile = new float[64 * 64];
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        tile[y * 64 + x] = ((y / 8) * 8 + x / 8) / 64f;
      }
    }
    double[] blocks = LatentContentProbe.blockMeans(tile);
    assertEquals(64, blocks.length);
    assertEquals(9 / 64.0, blocks[9], 1e-7);
    assertArrayEquals(tile, LatentContentProbe.upsample(blocks), 1e-7f);
  }

  @Test
  void predictionsAreAffineInZAndClippedToTheUnitRange() {
    double[][] w = new double[65][2];
    w[0][0] = 0.5; // block 0 = 0.5 * z0 + 0.25
    w[64][0] = 0.25;
    w[1][1] = 10; // block 1 = 10 * z1, clipped
    float[] z = new float[64];
    z[0] = 0.5f;
    z[1] = -0.3f;
    assertArrayEquals(new double[] {0.5, 0.0}, LatentContentProbe.predict(w, z), 1e-9);
  }
}
