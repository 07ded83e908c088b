package io.prosima.imaging.inpaint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.model.AnchoredModel;
import io.prosima.imaging.model.ImageReconstructor;
import io.prosima.imaging.model.ModelExport;
import io.prosima.imaging.testsupport.SharedData;
import io.prosima.imaging.train.SliceDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The shipped inpainting G (imaging/models/inpaint): its hash, and the eval table on 2 slices. */
class ShippedInpaintModelTest {
  private static final Path MODELS = Path.of("models");
  private static final Path INPAINT = MODELS.resolve(TileInpainter.DIR);
  private static final Path SLICES = SharedData.resolve("mri/human-t1-axial");

  @Test
  void theShippedWeightsHaveTheHashRecordedAtTrainingAndPairWithTheShippedEncoder()
      throws Exception {
    Properties p = new Properties();
    try (var in = Files.newInputStream(INPAINT.resolve("training.properties"))) {
      p.load(in);
    }
    HexFormat hex = HexFormat.of();
    AnchoredModel.verify(
        INPAINT.resolve(ModelExport.GENERATOR_DIR),
        hex.parseHex(p.getProperty("generator_weights_sha256")));
    assertEquals(
        p.getProperty("encoder_weights_sha256"),
        hex.formatHex(AnchoredModel.weightsSha256(MODELS.resolve(ModelExport.ENCODER_DIR))),
        "the inpainting G was trained on the latents of another E");
  }

  @Test
  void onTwoValidationSlicesTheTableHasEveryRowAndGWithZStarBeatsTheHarmonicFill()
      throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(SLICES), "no shared data");
    List<GrayImage> validation = new ArrayList<>();
    for (SliceDataset.Slice s : SliceDataset.load(SLICES).validation().subList(0, 2)) {
      validation.add(s.image());
    }

    List<InpaintEvaluation.Row> rows;
    try (ImageReconstructor e = ImageReconstructor.load(MODELS);
        TileInpainter g = TileInpainter.load(INPAINT)) {
      rows = InpaintEvaluation.run(validation, e, g, null);
    }

    String table = InpaintEvaluation.format(rows, validation.size());
    assertEquals(6, rows.size(), table);
    int single = InpaintEvaluation.cases(validation.get(0), false).size();
    single += InpaintEvaluation.cases(validation.get(1), false).size();
    for (InpaintEvaluation.Row r : rows) {
      assertTrue(r.count() > 0, table);
      assertTrue(Double.isFinite(r.psnrDb()) && r.ssim() > -1 && r.ssim() <= 1, table);
      if (r.cases().equals("1 tile")) {
        assertEquals(single, r.count(), table);
      }
    }
    assertTrue(table.contains("1 tile: z* over z = 0"), table);
    for (String cases : List.of("1 tile", "2 adjacent tiles")) {
      double harmonic = InpaintEvaluation.psnr(rows, cases, InpaintEvaluation.Method.HARMONIC);
      double zStar = InpaintEvaluation.psnr(rows, cases, InpaintEvaluation.Method.G_Z_STAR);
      assertTrue(zStar > harmonic, cases + "\n" + table);
    }
  }
}
