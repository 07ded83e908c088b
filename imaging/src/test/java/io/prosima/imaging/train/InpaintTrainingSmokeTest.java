package io.prosima.imaging.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.imaging.inpaint.LostTiles;
import io.prosima.imaging.inpaint.TileInpainter;
import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.model.ImageReconstructor;
import io.prosima.imaging.model.ModelExport;
import io.prosima.imaging.tiling.TileGrid;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CI's smoke test of the inpainting G: a few real training steps, export, load, rebuild. */
class InpaintTrainingSmokeTest {
  /** The shipped models, whose E makes z* (tests run in the imaging module's folder). */
  private static final Path MODELS = Path.of("models");

  @Test
  void aFewStepsTrainExportAndRebuildOnlyTheLostTiles(@TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue(
        Files.isDirectory(MODELS.resolve(ModelExport.ENCODER_DIR)), "no shipped encoder");
    var config =
        new InpaintConfig(
            Path.of("unused"), MODELS, tmp, 3L, 6, 2, 128, 1e-3, 0.25, 2, 3, 0, false);
    var log = new ByteArrayOutputStream();
    InpaintTrainer.Outcome outcome =
        new InpaintTrainer(config, new PrintStream(log, true)).run(TrainingSmokeTest.synthetic(1));

    assertEquals(6, outcome.steps());
    assertTrue(Double.isFinite(outcome.generatorLoss()), log.toString());
    assertTrue(log.toString().contains("validation step 6"), log.toString());
    assertTrue(outcome.weights().containsKey("i/zmap/w"), outcome.weights().keySet().toString());

    ModelExport.exportInpaint(outcome.weights(), tmp.resolve(ModelExport.GENERATOR_DIR));
    GrayImage clean = TrainingSmokeTest.synthetic(2).validation().get(0).image();
    TileGrid grid = TileGrid.of(clean);
    LostTiles lost = LostTiles.of(grid, List.of(5, 6));
    GrayImage damaged = lost.zeroed(clean);
    GrayImage out;
    try (ImageReconstructor e = ImageReconstructor.load(MODELS);
        TileInpainter g = TileInpainter.load(tmp)) {
      out = g.inpaint(damaged, lost, e.latents(clean));
    }

    float[] in = damaged.pixels();
    float[] px = out.pixels();
    boolean[] mask = lost.imageMask();
    boolean rebuiltSomething = false;
    for (int i = 0; i < px.length; i++) {
      if (mask[i]) {
        assertTrue(px[i] >= 0f && px[i] <= 1f, "pixel " + i + " = " + px[i]);
        rebuiltSomething |= px[i] != 0f;
      } else {
        assertEquals(Float.floatToIntBits(in[i]), Float.floatToIntBits(px[i]), "pixel " + i);
      }
    }
    assertTrue(rebuiltSomething, "the lost tiles are still all zero");
    assertNotEquals(damaged, out);
  }
}
