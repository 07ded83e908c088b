package io.prosima.imaging.train;

import java.nio.file.Path;

/**
 * Settings of one training run.
 *
 * @param variant {@code full} (all losses, conditioned on z*), {@code pixel} (L1 only, no
 *     conditioning), {@code nocond} (all losses, z* replaced by zeros)
 */
public record TrainingConfig(
    Path dataDir,
    Path outDir,
    long seed,
    int encoderSteps,
    int steps,
    int batch,
    int cropPx,
    double learningRate,
    double encoderLearningRate,
    double lambdaPerceptual,
    double lambdaSemantic,
    String variant,
    int validateEvery,
    boolean export) {

  public TrainingConfig {
    if (cropPx % 64 != 0 || cropPx < 64 || cropPx > 256) {
      throw new IllegalArgumentException("crop must be 64, 128, 192 or 256 px, got " + cropPx);
    }
    if (batch < 1 || batch > 64) {
      throw new IllegalArgumentException("batch must be 1..64, got " + batch);
    }
    if (steps < 0 || encoderSteps < 0) {
      throw new IllegalArgumentException("steps must be >= 0");
    }
    if (!variant.equals("full") && !variant.equals("pixel") && !variant.equals("nocond")) {
      throw new IllegalArgumentException("variant must be full, pixel or nocond, got " + variant);
    }
  }

  public boolean conditioned() {
    return variant.equals("full");
  }

  public boolean auxiliaryLosses() {
    return !variant.equals("pixel");
  }
}
