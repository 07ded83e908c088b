package io.prosima.imaging.tamper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.tiling.TileGrid;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pHash baseline and the training-slice threshold rule. */
class DetectorScoresTest {
  private static float[] tile(GrayImage image, int index) {
    return new TileGrid(256, 256).tile(image, index);
  }

  @Test
  void pHashIgnoresSlightNoiseButNotAnotherTile() {
    // Tile 0 holds the head's edge: structure at low frequencies, what pHash encodes.
    GrayImage clean = Phantoms.head(0);
    GrayImage noisy = new GaussianNoise(0.01).apply(clean, new Random(1));
    long h = TilePerceptualHash.of(tile(clean, 0));
    assertEquals(0, TilePerceptualHash.distance(h, TilePerceptualHash.of(tile(clean, 0))));
    int noise = TilePerceptualHash.distance(h, TilePerceptualHash.of(tile(noisy, 0)));
    int other = TilePerceptualHash.distance(h, TilePerceptualHash.of(tile(clean, 3)));
    assertTrue(noise < other, "noise " + noise + " vs other tile " + other);
    assertTrue(noise <= 8, "noise moved " + noise + " of 63 bits");
  }

  @Test
  void theGatedBaselineTreatsOnlyEmptyTilesAsBackground() {
    GrayImage clean = Phantoms.head(0);
    assertTrue(TilePerceptualHash.isBackground(new float[64 * 64]));
    assertTrue(!TilePerceptualHash.isBackground(tile(clean, 5))); // inside the head
    assertTrue(!TilePerceptualHash.isBackground(tile(clean, 1))); // the top of the head
  }

  @Test
  void theThresholdFlagsAtMostTheAllowedShareOfBenignScores() {
    double[] scores = new double[1000];
    Random random = new Random(2);
    for (int i = 0; i < scores.length; i++) {
      scores[i] = random.nextGaussian();
    }
    double t = FalseAlarmThreshold.choose(scores, 0.005);
    assertEquals(5, FalseAlarmThreshold.above(scores, t));
    double none = FalseAlarmThreshold.choose(scores, 0);
    assertEquals(0, FalseAlarmThreshold.above(scores, none));
  }

  @Test
  void localisedMeansEveryEditedTileIsFlagged() {
    assertTrue(ScoredCase.localised(List.of(1, 2), List.of(0, 1, 2)));
    assertTrue(!ScoredCase.localised(List.of(1, 2), List.of(1)));
    assertTrue(!ScoredCase.localised(List.of(), List.of()));
  }
}
