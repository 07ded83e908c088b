package io.prosima.imaging.train;

import io.prosima.imaging.model.AnchoredModel;
import io.prosima.imaging.model.ModelExport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

/** `prosima model train`: train E and G, export both SavedModels and a summary. */
public final class Training {
  /** File written next to the exported models with the run's settings and results. */
  public static final String SUMMARY_FILE = "training.properties";

  private Training() {}

  public static Trainer.Outcome trainAndExport(TrainingConfig config, PrintStream log)
      throws IOException {
    SliceDataset data = SliceDataset.load(config.dataDir());
    log.printf(
        "data: %d training slices, %d validation slices (indices 120-149, 230-259)%n",
        data.train().size(), data.validation().size());
    Trainer.Outcome outcome = new Trainer(config, log).run(data);
    RawWeights.write(outcome.weights(), outcome.shapes(), config.outDir().resolve(RawWeights.FILE));
    if (config.export()) {
      ModelExport.export(outcome.weights(), config.outDir());
      writeSummary(config, outcome, data);
      log.printf(
          "exported %s and %s to %s%n",
          ModelExport.ENCODER_DIR, ModelExport.GENERATOR_DIR, config.outDir());
    }
    return outcome;
  }

  private static void writeSummary(TrainingConfig c, Trainer.Outcome o, SliceDataset data)
      throws IOException {
    HexFormat hex = HexFormat.of();
    String text =
        String.join(
            "\n",
            "finished=" + Instant.now(),
            // The folder name only: a path would record the training machine's layout on chain.
            "data=" + c.dataDir().getFileName(),
            "train_slices=" + data.train().size(),
            "validation_slices=" + data.validation().size(),
            "variant=" + c.variant(),
            "seed=" + c.seed(),
            "encoder_steps=" + c.encoderSteps(),
            "generator_steps=" + c.steps(),
            "batch=" + c.batch(),
            "crop_px=" + c.cropPx(),
            "learning_rate=" + c.learningRate(),
            "encoder_learning_rate=" + c.encoderLearningRate(),
            "lambda_perceptual=" + c.lambdaPerceptual(),
            "lambda_semantic=" + c.lambdaSemantic(),
            String.format(Locale.ROOT, "encoder_final_loss=%.5f", o.encoderLoss()),
            String.format(Locale.ROOT, "generator_final_loss=%.5f", o.generatorLoss()),
            String.format(Locale.ROOT, "validation_psnr_db=%.3f", o.validationPsnrDb()),
            String.format(Locale.ROOT, "validation_noisy_psnr_db=%.3f", o.noisyValidationPsnrDb()),
            String.format(Locale.ROOT, "training_seconds=%.1f", o.seconds()),
            "encoder_weights_sha256="
                + hex.formatHex(
                    AnchoredModel.weightsSha256(c.outDir().resolve(ModelExport.ENCODER_DIR))),
            "generator_weights_sha256="
                + hex.formatHex(
                    AnchoredModel.weightsSha256(c.outDir().resolve(ModelExport.GENERATOR_DIR))),
            "");
    Files.writeString(c.outDir().resolve(SUMMARY_FILE), text);
  }
}
