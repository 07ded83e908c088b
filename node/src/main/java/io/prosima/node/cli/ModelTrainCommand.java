package io.prosima.node.cli;

import io.prosima.imaging.train.Trainer;
import io.prosima.imaging.train.Training;
import io.prosima.imaging.train.TrainingConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `prosima model train`: trains E then G on the MRI slices and exports both SavedModels. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train the encoder E (contrastive) and the generator G (L1 + perceptual + semantic, Adam)",
      "on random 128x128 tile-aligned crops of the training slices; export SavedModels to --out."
    })
public final class ModelTrainCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "Slice directory with manifest.csv.")
  Path data;

  @Option(names = "--out", required = true, description = "Output directory for the models.")
  Path out;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--steps",
      defaultValue = "4000",
      description = "Generator steps (default ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--encoder-steps",
      defaultValue = "0",
      description =
          "Encoder steps; E is now the fixed 8x8 block-mean operator with no weights, so only 0"
              + " works (default ${DEFAULT-VALUE}).")
  int encoderSteps;

  @Option(
      names = "--batch",
      defaultValue = "8",
      description = "Crops per step (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--crop",
      defaultValue = "128",
      description = "Crop side, multiple of 64 (default ${DEFAULT-VALUE}).")
  int crop;

  @Option(
      names = "--lr",
      defaultValue = "1e-3",
      description =
          "Peak learning rate of G; decays to 1e-4 over the last 30 %% (default ${DEFAULT-VALUE}).")
  double lr;

  @Option(
      names = "--encoder-lr",
      defaultValue = "1e-3",
      description = "Learning rate of E (default ${DEFAULT-VALUE}).")
  double encoderLr;

  @Option(
      names = "--lambda-perceptual",
      defaultValue = "0",
      description =
          "lambda1; the perceptual features are untrained conv layers since E has no weights"
              + " (default ${DEFAULT-VALUE}).")
  double lambdaPerceptual;

  @Option(
      names = "--lambda-semantic",
      defaultValue = "0.05",
      description = "lambda2 (default ${DEFAULT-VALUE}).")
  double lambdaSemantic;

  @Option(
      names = "--variant",
      defaultValue = "full",
      description =
          "full | pixel (L1 only, no z) | nocond (all losses, no z) (default ${DEFAULT-VALUE}).")
  String variant;

  @Option(
      names = "--validate-every",
      defaultValue = "250",
      description = "Validation period in steps.")
  int validateEvery;

  @Override
  public Integer call() throws Exception {
    TrainingConfig config =
        new TrainingConfig(
            data,
            out,
            seed,
            encoderSteps,
            steps,
            batch,
            crop,
            lr,
            encoderLr,
            lambdaPerceptual,
            lambdaSemantic,
            variant,
            validateEvery,
            true);
    Trainer.Outcome o = Training.trainAndExport(config, System.err);
    System.out.printf(
        "trained in %.0f s: validation PSNR %.2f dB (noisy %.2f dB); models in %s%n",
        o.seconds(), o.validationPsnrDb(), o.noisyValidationPsnrDb(), out);
    return 0;
  }
}
