package io.prosima.imaging.federated;

import io.prosima.imaging.model.SavedModelWeights;
import io.prosima.imaging.train.SliceDataset;
import io.prosima.imaging.train.Trainer;
import io.prosima.imaging.train.TrainingConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One hospital's part of a federated round: fine-tune the round's global G for K steps on its own
 * slices, E frozen (E's latents are what the chain anchors, so E is not federated). Same losses,
 * optimiser and data pipeline as {@code prosima model train}; Adam starts fresh each round.
 */
public final class LocalTraining {
  /** The federated part of the model: G's weights. */
  public static final String PREFIX = "g/";

  /**
   * Settings of local steps.
   *
   * @param totalSteps steps of the whole run, for the learning-rate schedule (warm-up, constant,
   *     decay) that a round's steps take their positions in
   */
  public record Settings(
      int steps, int batch, int cropPx, double learningRate, long seed, int totalSteps) {
    public Settings {
      if (steps < 1 || totalSteps < steps) {
        throw new IllegalArgumentException("steps must be 1..totalSteps");
      }
    }
  }

  /** A local update: G's weights after the local steps and what the anchor reports. */
  public record Result(
      Map<String, float[]> generator, long samples, double validationPsnrDb, double seconds) {}

  private LocalTraining() {}

  /** The names and shapes of G's weights (the tensors a round averages). */
  public static Map<String, long[]> generatorShapes() throws IOException {
    Map<String, long[]> out = new LinkedHashMap<>();
    SavedModelWeights.shapes()
        .forEach(
            (k, v) -> {
              if (k.startsWith(PREFIX)) {
                out.put(k, v);
              }
            });
    return out;
  }

  /**
   * Runs {@code s.steps()} steps from {@code generator} (G's weights of the round's global model)
   * with {@code encoder} frozen; {@code stepOffset} is the position of the first step in the run.
   */
  public static Result fineTune(
      Map<String, float[]> encoder,
      Map<String, float[]> generator,
      SliceDataset data,
      Settings s,
      int stepOffset,
      PrintStream log)
      throws IOException {
    Map<String, float[]> start = new LinkedHashMap<>(encoder);
    start.putAll(generator);
    TrainingConfig config =
        new TrainingConfig(
            Path.of("."),
            Path.of("."),
            s.seed(),
            0,
            s.steps(),
            s.batch(),
            s.cropPx(),
            s.learningRate(),
            s.learningRate(),
            // No perceptual term: its features were E's conv layers, and E is now a fixed operator
            // without weights (model card, issue 13), so they would be untrained. As `model train`.
            0.0,
            0.05,
            "full",
            s.steps(),
            false);
    Trainer.Outcome o =
        new Trainer(
                config,
                log,
                start,
                step -> Trainer.schedule(s.learningRate(), stepOffset + step, s.totalSteps()))
            .run(data);
    Map<String, float[]> g = new LinkedHashMap<>();
    o.weights()
        .forEach(
            (k, v) -> {
              if (k.startsWith(PREFIX)) {
                g.put(k, v);
              }
            });
    return new Result(g, data.train().size(), o.validationPsnrDb(), o.seconds());
  }
}
