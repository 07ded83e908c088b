package io.prosima.imaging.train;

import java.nio.file.Path;

/**
 * Settings of one run of the inpainting G (issue 13, lost tiles).
 *
 * @param modelsDir the shipped models directory whose E makes the latents z* (E is not trained)
 * @param lostTilesMax at most this many of a crop's tiles are lost in a training example (1 or 2)
 * @param latentDropout probability that an example's latents are all zeroed, so the same G also
 *     runs without z and the "z = 0" row of the evaluation is a fair comparison, not a network fed
 *     inputs it never saw
 * @param timeLimitSeconds training stops after this wall time (the 30-minute budget), keeping the
 *     weights it has; 0 = no limit
 */
public record InpaintConfig(
    Path dataDir,
    Path modelsDir,
    Path outDir,
    long seed,
    int steps,
    int batch,
    int cropPx,
    double learningRate,
    double latentDropout,
    int lostTilesMax,
    int validateEvery,
    double timeLimitSeconds,
    boolean export) {

  public InpaintConfig {
    if (cropPx % 64 != 0 || cropPx < 128 || cropPx > 256) {
      throw new IllegalArgumentException("crop must be 128, 192 or 256 px, got " + cropPx);
    }
    if (batch < 1 || batch > 64) {
      throw new IllegalArgumentException("batch must be 1..64, got " + batch);
    }
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0");
    }
    if (!(latentDropout >= 0 && latentDropout < 1)) {
      throw new IllegalArgumentException("latent dropout must be in [0, 1), got " + latentDropout);
    }
    if (lostTilesMax < 1 || lostTilesMax > 2) {
      throw new IllegalArgumentException("lost tiles per example must be 1 or 2");
    }
    if (!(timeLimitSeconds >= 0)) {
      throw new IllegalArgumentException("time limit must be >= 0 s");
    }
    if (validateEvery < 1) {
      throw new IllegalArgumentException("validate-every must be >= 1");
    }
  }
}
