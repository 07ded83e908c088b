package io.prosima.imaging.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.model.Networks;
import io.prosima.imaging.tiling.QuantizedLatent;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The verifier's per-tile rule, without a model: latents are written by hand. */
class BlockDeviationTest {
  /** A latent (block means minus the offset) with every block at {@code mean}. */
  private static float[] flat(float mean) {
    float[] z = new float[Networks.EMBEDDING_DIM];
    java.util.Arrays.fill(z, mean - Networks.LATENT_OFFSET);
    return z;
  }

  @Test
  void noiseSigmaFindsWhiteNoiseAndNothingOnACleanPiecewiseFlatImage() {
    Random random = new Random(1);
    float[] noisy = new float[256 * 256];
    float[] clean = new float[256 * 256];
    for (int y = 0; y < 256; y++) {
      for (int x = 0; x < 256; x++) {
        float base = x < 100 ? 0.2f : 0.7f; // an edge the median must ignore
        clean[y * 256 + x] = base;
        noisy[y * 256 + x] = (float) (base + 0.05 * random.nextGaussian());
      }
    }
    assertEquals(0.05, BlockDeviation.noiseSigma(new GrayImage(256, 256, noisy)), 0.004);
    assertEquals(0.0, BlockDeviation.noiseSigma(new GrayImage(256, 256, clean)), 1e-9);
  }

  @Test
  void anExactCopyScoresAtMostZeroAndAShiftedBlockScoresItsShiftMinusRounding() {
    float[] z = flat(0.4f);
    z[10] += 0.2f; // some texture, so the scale is not trivial
    QuantizedLatent anchored = QuantizedLatent.quantize(z);
    assertTrue(BlockDeviation.score(z, anchored, 0) <= 0);

    float[] edited = z.clone();
    edited[37] += 0.05f;
    double s = BlockDeviation.score(edited, anchored, 0);
    // The excess is the shift less at most the rounding (half a step) on each side.
    assertEquals(0.05 - anchored.scale() / 2, s, anchored.scale() / 2 + 1e-6);
    assertTrue(s > 0.04, "score " + s);
  }

  @Test
  void noiseRaisesTheToleranceByFiveStandardErrorsOfAnEightByEightMean() {
    float[] z = flat(0.4f);
    QuantizedLatent anchored = QuantizedLatent.quantize(z);
    float[] edited = z.clone();
    edited[5] -= 0.03f;
    assertTrue(BlockDeviation.score(edited, anchored, 0) > 0.02);
    // sigma 0.05: 5 * 0.05 / 8 = 0.031 > 0.03, so the same shift is explained by noise.
    assertTrue(BlockDeviation.score(edited, anchored, 0.05) < 0);
    // sigma 0.03: 0.019 < 0.03, still flagged.
    assertTrue(BlockDeviation.score(edited, anchored, 0.03) > 0);
  }

  @Test
  void rician_liftExcusesABrighterDarkBlockButNotADarkerOne() {
    float[] z = flat(0f);
    z[0] = 0.3f - Networks.LATENT_OFFSET;
    QuantizedLatent anchored = QuantizedLatent.quantize(z);
    double sigma = 0.02;
    // Magnitude noise on black has mean 1.2533 sigma: brighter by 0.025, noise part 0.0125.
    float[] lifted = z.clone();
    for (int b = 1; b < lifted.length; b++) {
      lifted[b] += 0.025f;
    }
    assertTrue(BlockDeviation.score(lifted, anchored, sigma) < 0);
    float[] darker = z.clone();
    darker[0] -= 0.025f;
    assertTrue(BlockDeviation.score(darker, anchored, sigma) > 0);
    assertEquals(Math.sqrt(Math.PI / 2) * sigma, BlockDeviation.ricianLift(0, sigma), 1e-12);
    // A block half black, half at full scale: mean 0.5, lifted by half of 1.2533 sigma.
    assertEquals(
        0.5 * Math.sqrt(Math.PI / 2) * sigma, BlockDeviation.ricianLift(0.5, sigma), 1e-12);
    assertEquals(0.0, BlockDeviation.ricianLift(1.0, sigma), 1e-3);
  }

  @Test
  void badInputIsRefused() {
    QuantizedLatent anchored = QuantizedLatent.quantize(flat(0.3f));
    assertThrows(
        IllegalArgumentException.class, () -> BlockDeviation.score(new float[63], anchored, 0));
    assertThrows(
        IllegalArgumentException.class, () -> BlockDeviation.score(flat(0.3f), anchored, -0.1));
    assertThrows(
        IllegalArgumentException.class,
        () -> BlockDeviation.score(flat(0.3f), anchored, Double.NaN));
  }

  @Test
  void theBackgroundLiftIsReadFromBlackBlocksAndExcusesTheirLiftButNotTissueChanges() {
    float[] z = flat(0f); // a black tile
    QuantizedLatent anchored = QuantizedLatent.quantize(z);
    float[] lifted = z.clone();
    for (int b = 0; b < lifted.length; b++) {
      lifted[b] += 0.025f; // magnitude noise of sigma 0.02 on black: mean 1.2533 * 0.02
    }
    double s =
        BlockDeviation.magnitudeSigma(
            java.util.List.of(lifted, lifted), java.util.List.of(anchored, anchored));
    assertEquals(0.025 / Math.sqrt(Math.PI / 2), s, 1e-4);
    // With sigma underestimated at 0.01 the lift alone is not explained; with the read-off it is.
    assertTrue(BlockDeviation.score(lifted, anchored, 0.01) > 0);
    assertTrue(BlockDeviation.score(lifted, anchored, 0.01, s) < 0);
    // Too few black blocks (16 < 32): nothing is read.
    float[] small = new float[16];
    java.util.Arrays.fill(small, -Networks.LATENT_OFFSET);
    float[] smallLifted = small.clone();
    for (int b = 0; b < small.length; b++) {
      smallLifted[b] += 0.025f;
    }
    assertEquals(
        0.0,
        BlockDeviation.magnitudeSigma(
            java.util.List.of(smallLifted), java.util.List.of(QuantizedLatent.quantize(small))));
    assertThrows(
        IllegalArgumentException.class,
        () -> BlockDeviation.magnitudeSigma(java.util.List.of(lifted), java.util.List.of()));
  }

  @Test
  void blockSigmaSeesTheImageWideSpreadOfBlockMeansAndIgnoresOneEditedTile() {
    Random random = new Random(5);
    java.util.List<float[]> queries = new java.util.ArrayList<>();
    java.util.List<QuantizedLatent> anchored = new java.util.ArrayList<>();
    for (int t = 0; t < 16; t++) {
      float[] z = flat(0.4f + 0.01f * t);
      anchored.add(QuantizedLatent.quantize(z));
      float[] q = z.clone();
      for (int b = 0; b < q.length; b++) {
        q[b] += (float) (0.006 * random.nextGaussian()); // a denoised copy's leftover spread
      }
      queries.add(q);
    }
    double spread = BlockDeviation.blockSigma(queries, anchored);
    assertEquals(0.006, spread, 0.0012);
    // 0.02 off in one block is within 5 x 0.006 once the spread is known, not without it.
    float[] q0 = queries.get(0).clone();
    q0[3] = anchored.get(0).dequantize()[3] + 0.02f;
    assertTrue(BlockDeviation.score(q0, anchored.get(0), 0, 0, spread) < 0);
    assertTrue(BlockDeviation.score(q0, anchored.get(0), 0, 0, 0) > 0);

    // A clean image with one tile rewritten: the other 15 tiles keep the median near 0.
    java.util.List<float[]> local = new java.util.ArrayList<>();
    for (int t = 0; t < 16; t++) {
      float[] z = anchored.get(t).dequantize();
      if (t == 7) {
        for (int b = 0; b < z.length; b++) {
          z[b] += 0.2f;
        }
      }
      local.add(z);
    }
    assertEquals(0.0, BlockDeviation.blockSigma(local, anchored), 1e-6);
    assertThrows(
        IllegalArgumentException.class,
        () -> BlockDeviation.score(q0, anchored.get(0), 0, 0, Double.NaN));
  }
}
