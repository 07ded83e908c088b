package io.prosima.imaging.train;

import io.prosima.imaging.model.AnchoredModel;
import io.prosima.imaging.model.ModelExport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

/**
 * `prosima model train-inpaint`: train the inpainting G against the shipped E and export it as
 * {@code OUT/generator} with a {@code training.properties} summary (the shipped copy lives in
 * {@code imaging/models/inpaint/}).
 */
public final class InpaintTraining {
  private InpaintTraining() {}

  public static InpaintTrainer.Outcome trainAndExport(InpaintConfig config, PrintStream log)
      throws IOException {
    SliceDataset data = SliceDataset.load(config.dataDir());
    log.printf(
        "data: %d training slices, %d validation slices (indices 120-149, 230-259)%n",
        data.train().size(), data.validation().size());
    InpaintTrainer.Outcome outcome = new InpaintTrainer(config, log).run(data);
    RawWeights.write(outcome.weights(), outcome.shapes(), config.outDir().resolve(RawWeights.FILE));
    if (config.export()) {
      ModelExport.exportInpaint(
          outcome.weights(), config.outDir().resolve(ModelExport.GENERATOR_DIR));
      writeSummary(config, outcome, data);
      log.printf("exported %s to %s%n", ModelExport.GENERATOR_DIR, config.outDir());
    }
    return outcome;
  }

  private static void writeSummary(InpaintConfig c, InpaintTrainer.Outcome o, SliceDataset data)
      throws IOException {
    HexFormat hex = HexFormat.of();
    String text =
        String.join(
            "\n",
            "finished=" + Instant.now(),
            "data=" + c.dataDir().getFileName(),
            "train_slices=" + data.train().size(),
            "validation_slices=" + data.validation().size(),
            "variant=inpaint",
            "seed=" + c.seed(),
            "generator_steps=" + o.steps(),
            "batch=" + c.batch(),
            "crop_px=" + c.cropPx(),
            "learning_rate=" + c.learningRate(),
            "latent_dropout=" + c.latentDropout(),
            "lost_tiles_max=" + c.lostTilesMax(),
            "time_limit_seconds=" + c.timeLimitSeconds(),
            "encoder_weights_sha256="
                + hex.formatHex(
                    AnchoredModel.weightsSha256(c.modelsDir().resolve(ModelExport.ENCODER_DIR))),
            String.format(Locale.ROOT, "generator_final_loss=%.5f", o.generatorLoss()),
            String.format(Locale.ROOT, "validation_lost_psnr_db=%.3f", o.validationPsnrDb()),
            String.format(
                Locale.ROOT, "validation_lost_psnr_no_z_db=%.3f", o.validationPsnrNoZDb()),
            String.format(Locale.ROOT, "training_seconds=%.1f", o.seconds()),
            "generator_weights_sha256="
                + hex.formatHex(
                    AnchoredModel.weightsSha256(c.outDir().resolve(ModelExport.GENERATOR_DIR))),
            "");
    Files.writeString(c.outDir().resolve(Training.SUMMARY_FILE), text);
  }
}
