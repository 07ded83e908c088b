package io.prosima.imaging.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.testsupport.SharedData;
import io.prosima.imaging.train.SliceDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** `model eval` rows for strong Gaussian and for Rician noise, on two validation slices. */
class ModelEvaluationNoiseTest {
  private static final Path SLICES = SharedData.resolve("mri/human-t1-axial");

  @Test
  void theShippedModelsDoNotCollapseAtSigma015OrUnderRicianNoise() throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(SLICES), "no shared data");
    List<GrayImage> validation = new ArrayList<>();
    for (SliceDataset.Slice s : SliceDataset.load(SLICES).validation().subList(0, 2)) {
      validation.add(s.image());
    }
    List<ModelEvaluation.Noise> noises =
        List.of(
            new ModelEvaluation.Noise(ModelEvaluation.Noise.Kind.GAUSSIAN, 0.15),
            new ModelEvaluation.Noise(ModelEvaluation.Noise.Kind.RICIAN, 0.05));

    List<ModelEvaluation.Row> rows;
    try (ImageReconstructor full = ImageReconstructor.load(ShippedModelsTest.MODELS)) {
      rows = ModelEvaluation.run(validation, noises, full, null, null, 1, null);
    }

    String table = ModelEvaluation.format(rows, validation.size());
    assertTrue(table.contains("gauss 0.15"), table);
    assertTrue(table.contains("rician 0.05"), table);
    for (ModelEvaluation.Noise noise : noises) {
      double input = psnr(rows, noise, "noisy input");
      double anchored = psnr(rows, noise, "full G, z* anchored");
      // A collapsed model (flat grey, or the input passed through) would not gain several dB.
      assertTrue(
          anchored > input + 3, noise.label() + ": " + input + " -> " + anchored + "\n" + table);
    }
  }

  private static double psnr(List<ModelEvaluation.Row> rows, ModelEvaluation.Noise n, String v) {
    List<ModelEvaluation.Row> match =
        rows.stream().filter(r -> r.noise().equals(n) && r.variant().equals(v)).toList();
    assertEquals(1, match.size(), v);
    return match.get(0).psnrDb();
  }
}
