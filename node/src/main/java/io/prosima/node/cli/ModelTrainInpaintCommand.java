package io.prosima.node.cli;

import io.prosima.imaging.model.ShippedModels;
import io.prosima.imaging.train.InpaintConfig;
import io.prosima.imaging.train.InpaintTrainer;
import io.prosima.imaging.train.InpaintTraining;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `prosima model train-inpaint`: trains the inpainting G that rebuilds lost tiles. */
@Command(
    name = "train-inpaint",
    mixinStandardHelpOptions = true,
    description = {
      "Train the inpainting G: tile-aligned crops of the training slices with 1 or 2 tiles",
      "lost, conditioned on the tiles' z* from the shipped E (not retrained), squared error on the lost",
      "pixels; exports OUT/generator (ship it as imaging/models/inpaint/)."
    })
public final class ModelTrainInpaintCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "Slice directory with manifest.csv.")
  Path data;

  @Option(names = "--out", required = true, description = "Output directory.")
  Path out;

  @Option(names = "--models", description = "Models directory whose E makes z* (default: shipped).")
  Path models;

  @Option(names = "--seed", defaultValue = "7", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--steps",
      defaultValue = "2500",
      description = "Steps, at most (the time limit may stop earlier; default ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--batch",
      defaultValue = "8",
      description = "Crops per step (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--crop",
      defaultValue = "192",
      description = "Crop side, multiple of 64 (default ${DEFAULT-VALUE}).")
  int crop;

  @Option(
      names = "--lr",
      defaultValue = "1e-3",
      description = "Peak learning rate (default ${DEFAULT-VALUE}).")
  double lr;

  @Option(
      names = "--latent-dropout",
      defaultValue = "0.25",
      description = "Share of examples trained with z = 0 (default ${DEFAULT-VALUE}).")
  double latentDropout;

  @Option(
      names = "--lost-tiles-max",
      defaultValue = "2",
      description = "Lost tiles per example, 1 or 2 (default ${DEFAULT-VALUE}).")
  int lostTilesMax;

  @Option(
      names = "--validate-every",
      defaultValue = "250",
      description = "Validation period in steps (default ${DEFAULT-VALUE}).")
  int validateEvery;

  @Option(
      names = "--time-limit-minutes",
      defaultValue = "27",
      description =
          "Stop after this wall time and keep the weights reached (0 = none; default"
              + " ${DEFAULT-VALUE}, inside the 30-minute budget).")
  double timeLimitMinutes;

  @Override
  public Integer call() throws Exception {
    InpaintConfig config =
        new InpaintConfig(
            data,
            models != null ? models : ShippedModels.defaultDir(),
            out,
            seed,
            steps,
            batch,
            crop,
            lr,
            latentDropout,
            lostTilesMax,
            validateEvery,
            timeLimitMinutes * 60,
            true);
    InpaintTrainer.Outcome o = InpaintTraining.trainAndExport(config, System.err);
    System.out.printf(
        "trained %d steps in %.0f s: validation lost-tile PSNR %.2f dB with z*, %.2f dB with"
            + " z = 0; model in %s%n",
        o.steps(), o.seconds(), o.validationPsnrDb(), o.validationPsnrNoZDb(), out);
    return 0;
  }
}
