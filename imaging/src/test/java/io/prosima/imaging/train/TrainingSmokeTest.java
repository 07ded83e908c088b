package io.prosima.imaging.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.model.ImageReconstructor;
import io.prosima.imaging.model.ModelExport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CI's training smoke test: a few steps of the real E and G training on small synthetic data. */
class TrainingSmokeTest {
  static SliceDataset synthetic(long seed) {
    Random random = new Random(seed);
    List<SliceDataset.Slice> train = new ArrayList<>();
    List<SliceDataset.Slice> val = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      float[] px = new float[256 * 256];
      double cx = 128 + random.nextGaussian() * 20;
      double cy = 128 + random.nextGaussian() * 20;
      double r = 60 + random.nextInt(40);
      for (int y = 0; y < 256; y++) {
        for (int x = 0; x < 256; x++) {
          double d = Math.hypot(x - cx, y - cy);
          double v = d < r ? 0.5 + 0.3 * Math.sin(x / 7.0 + i) * Math.cos(y / 9.0) : 0;
          px[y * 256 + x] = (float) v;
        }
      }
      var slice = new SliceDataset.Slice("synthetic" + i, i, new GrayImage(256, 256, px));
      (i < 4 ? train : val).add(slice);
    }
    return SliceDataset.of(train, val);
  }

  @Test
  void aFewStepsOfTrainingBeatTheNoisyInput() throws Exception {
    var config =
        new TrainingConfig(
            Path.of("unused"),
            Path.of("unused"),
            3L,
            0,
            40,
            2,
            64,
            1e-3,
            1e-3,
            0.1,
            0.05,
            "full",
            20,
            false);
    var log = new ByteArrayOutputStream();
    Trainer.Outcome outcome = new Trainer(config, new PrintStream(log, true)).run(synthetic(1));

    assertEquals(0, outcome.encoderLosses().size());
    assertEquals(40, outcome.generatorLosses().size());
    // The per-step loss swings with the random noise level of each batch (sigma 0.01-0.12), so
    // progress is judged on the fixed validation crops: G must beat its noisy input.
    assertTrue(
        outcome.validationPsnrDb() > outcome.noisyValidationPsnrDb() + 0.5,
        "validation "
            + outcome.validationPsnrDb()
            + " dB, noisy "
            + outcome.noisyValidationPsnrDb());
    assertTrue(log.toString().contains("validation step 40"), log.toString());
    assertTrue(outcome.weights().keySet().stream().anyMatch(k -> k.startsWith("g/attn")));
  }

  @Test
  void exportedModelsLoadInDjlAndReconstructAWholeImage(@TempDir Path tmp) throws Exception {
    var config =
        new TrainingConfig(
            Path.of("unused"), tmp, 5L, 0, 2, 2, 64, 1e-3, 1e-3, 0.1, 0.05, "full", 2, false);
    Trainer.Outcome outcome =
        new Trainer(config, new PrintStream(new ByteArrayOutputStream(), true)).run(synthetic(2));
    ModelExport.export(outcome.weights(), tmp);
    // E has no weights now; its SavedModel must still hash (anchoring) like any other.
    assertEquals(
        32, io.prosima.imaging.model.AnchoredModel.weightsSha256(tmp.resolve("encoder")).length);
    GrayImage input = synthetic(3).validation().get(0).image();
    try (ImageReconstructor model = ImageReconstructor.load(tmp)) {
      GrayImage out = model.reconstruct(input);
      assertEquals(256, out.width());
      assertEquals(256, out.height());
      float[][] emb = model.embed(List.of(new float[64 * 64], new float[64 * 64]));
      assertEquals(2, emb.length);
      assertEquals(64, emb[0].length);
      // E is the 8x8 block means minus 0.5: a tile of 0.25 with one block at 1.0.
      float[] tile = new float[64 * 64];
      java.util.Arrays.fill(tile, 0.25f);
      for (int y = 8; y < 16; y++) {
        for (int x = 16; x < 24; x++) {
          tile[y * 64 + x] = 1f;
        }
      }
      float[] z = model.embed(List.of(tile))[0];
      assertEquals(-0.25f, z[0], 1e-6);
      assertEquals(0.5f, z[8 + 2], 1e-6);
      assertEquals(-0.25f, z[8 + 3], 1e-6);
      // A non-square, non-multiple-of-64 image is padded, reconstructed and cropped back.
      GrayImage odd = new GrayImage(100, 70, new float[7000]);
      GrayImage oddOut = model.reconstruct(odd);
      assertEquals(100, oddOut.width());
      assertEquals(70, oddOut.height());
    }
  }
}
