package io.prosima.imaging.model;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.tiling.QuantizedLatent;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * `prosima bench reconstruct`: latency of reconstructing one 256x256 slice (G with given latents,
 * and end to end with E of the input), p50/p99 and images per second, single caller thread.
 */
public final class ReconstructBenchmark {
  /** Measured figures. */
  public record Figures(
      int iterations, double p50Ms, double p99Ms, double meanMs, double imagesPerSecond) {
    public String format(String label) {
      return String.format(
          Locale.ROOT,
          "%-28s n=%d p50 %.1f ms  p99 %.1f ms  mean %.1f ms  %.2f images/s",
          label,
          iterations,
          p50Ms,
          p99Ms,
          meanMs,
          imagesPerSecond);
    }
  }

  private ReconstructBenchmark() {}

  /** G only, conditioned on precomputed latents (the on-chain z* case). */
  public static Figures generatorOnly(
      ImageReconstructor model, List<GrayImage> images, int warmup, int iterations)
      throws IOException {
    List<List<QuantizedLatent>> latents = new java.util.ArrayList<>();
    for (GrayImage img : images) {
      latents.add(model.latents(img));
    }
    for (int i = 0; i < warmup; i++) {
      model.reconstruct(images.get(i % images.size()), latents.get(i % images.size()));
    }
    double[] ms = new double[iterations];
    long start = System.nanoTime();
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      model.reconstruct(images.get(i % images.size()), latents.get(i % images.size()));
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    return figures(ms, (System.nanoTime() - start) / 1e9);
  }

  /** E of the input's tiles, then G (no chain). */
  public static Figures endToEnd(
      ImageReconstructor model, List<GrayImage> images, int warmup, int iterations)
      throws IOException {
    for (int i = 0; i < warmup; i++) {
      model.reconstruct(images.get(i % images.size()));
    }
    double[] ms = new double[iterations];
    long start = System.nanoTime();
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      model.reconstruct(images.get(i % images.size()));
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    return figures(ms, (System.nanoTime() - start) / 1e9);
  }

  static Figures figures(double[] ms, double seconds) {
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    double mean = Arrays.stream(ms).average().orElse(Double.NaN);
    return new Figures(
        ms.length, percentile(sorted, 0.50), percentile(sorted, 0.99), mean, ms.length / seconds);
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
