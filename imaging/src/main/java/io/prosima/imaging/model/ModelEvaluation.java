package io.prosima.imaging.model;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.metrics.ImageMetrics;
import io.prosima.imaging.tiling.QuantizedLatent;
import io.prosima.imaging.tiling.TileGrid;
import io.prosima.imaging.train.Corruptions;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The evaluation table of `prosima model eval` (PROSIMA Tables 2-4 style): on the validation
 * slices, for each noise level, the noisy input and each reconstruction variant with PSNR, SSIM
 * (whole 256x256 image, data range 1), mean tile-embedding cosine against the clean tiles (all
 * under the full model's E) and latency per image.
 *
 * <p>Noise: Gaussian or Rician (the magnitude noise of MR images, which lifts the dark background;
 * the models were trained on Gaussian noise only) with the given sigma, seeded per slice, kind and
 * sigma, not clipped (the models were trained on unclipped noise). Variants:
 *
 * <ul>
 *   <li>{@code G pixel-loss only}: trained with L1 only, run with zero latents.
 *   <li>{@code G all losses, no z}: trained with all losses but zero latents.
 *   <li>{@code full G, z* anchored}: conditioned on z* = quantized E(clean tile), i.e. the
 *       fingerprints anchored on chain at ingest.
 *   <li>{@code full G, z from input}: conditioned on E(noisy tile), what `prosima image
 *       reconstruct` does with no chain.
 * </ul>
 */
public final class ModelEvaluation {
  /** One table row. */
  public record Row(
      Noise noise, String variant, double psnrDb, double ssim, double cosine, double msPerImage) {}

  /** A noise of the table: its kind and sigma. */
  public record Noise(Kind kind, double sigma) {
    public enum Kind {
      GAUSSIAN,
      RICIAN
    }

    float[] apply(float[] clean, Random random) {
      return kind == Kind.GAUSSIAN
          ? Corruptions.gaussian(clean, sigma, random)
          : Corruptions.rician(clean, sigma, random);
    }

    /** "gauss 0.05", "rician 0.02". */
    public String label() {
      return String.format(
          Locale.ROOT, "%s %.2f", kind == Kind.GAUSSIAN ? "gauss" : "rician", sigma);
    }
  }

  private ModelEvaluation() {}

  /**
   * Runs the table. {@code full} is required (its E is the reference embedding); {@code pixelOnly}
   * and {@code noConditioning} may be null, and their rows are then reported as missing.
   */
  public static List<Row> run(
      List<GrayImage> validation,
      List<Noise> noises,
      ImageReconstructor full,
      ImageReconstructor pixelOnly,
      ImageReconstructor noConditioning,
      long seed,
      PrintStream progress)
      throws IOException {
    List<Row> rows = new ArrayList<>();
    for (Noise noise : noises) {
      double sigma = noise.sigma();
      Acc noisy = new Acc();
      Acc pixel = new Acc();
      Acc nocond = new Acc();
      Acc anchored = new Acc();
      Acc fromInput = new Acc();
      for (int s = 0; s < validation.size(); s++) {
        GrayImage clean = validation.get(s);
        TileGrid grid = TileGrid.of(clean);
        // Gaussian rows keep the seeds they always had, so earlier tables stay comparable.
        long kindSalt = noise.kind() == Noise.Kind.GAUSSIAN ? 0 : 0x5EED_0000_0000L;
        Random random =
            new Random(seed * 1_000_003L + s * 31L + Math.round(sigma * 1e6) + kindSalt);
        GrayImage input =
            new GrayImage(clean.width(), clean.height(), noise.apply(clean.pixels(), random));
        float[][] cleanEmb = full.embed(tiles(grid, clean));
        List<float[]> zeros = new ArrayList<>();
        for (int i = 0; i < grid.tileCount(); i++) {
          zeros.add(new float[Networks.EMBEDDING_DIM]);
        }
        noisy.add(clean, input, full, cleanEmb, grid, Double.NaN);
        if (pixelOnly != null) {
          long t0 = System.nanoTime();
          GrayImage out = pixelOnly.reconstructWithLatents(input, zeros);
          pixel.add(clean, out, full, cleanEmb, grid, (System.nanoTime() - t0) / 1e6);
        }
        if (noConditioning != null) {
          long t0 = System.nanoTime();
          GrayImage out = noConditioning.reconstructWithLatents(input, zeros);
          nocond.add(clean, out, full, cleanEmb, grid, (System.nanoTime() - t0) / 1e6);
        }
        List<QuantizedLatent> zStar = new ArrayList<>();
        for (float[] e : cleanEmb) {
          zStar.add(QuantizedLatent.quantize(e));
        }
        long t0 = System.nanoTime();
        GrayImage out = full.reconstruct(input, zStar);
        anchored.add(clean, out, full, cleanEmb, grid, (System.nanoTime() - t0) / 1e6);
        t0 = System.nanoTime();
        out = full.reconstruct(input);
        fromInput.add(clean, out, full, cleanEmb, grid, (System.nanoTime() - t0) / 1e6);
        if (progress != null && (s + 1) % 10 == 0) {
          progress.printf(
              Locale.ROOT, "eval %s: %d/%d slices%n", noise.label(), s + 1, validation.size());
        }
      }
      rows.add(noisy.row(noise, "noisy input"));
      rows.add(pixel.row(noise, "G pixel-loss only"));
      rows.add(nocond.row(noise, "G all losses, no z"));
      rows.add(anchored.row(noise, "full G, z* anchored"));
      rows.add(fromInput.row(noise, "full G, z from input"));
    }
    return rows;
  }

  /** The table as text; missing variants print "not trained". */
  public static String format(List<Row> rows, int slices) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "Validation: %d slices (indices 120-149, 230-259), 256x256; models trained on Gaussian"
                + " noise only%n",
            slices));
    sb.append(
        String.format(
            Locale.ROOT,
            "%-11s %-22s %9s %7s %8s %12s%n",
            "noise",
            "variant",
            "PSNR dB",
            "SSIM",
            "cosine",
            "ms/image"));
    for (Row r : rows) {
      if (Double.isNaN(r.psnrDb())) {
        sb.append(
            String.format(
                Locale.ROOT,
                "%-11s %-22s %s%n",
                r.noise().label(),
                r.variant(),
                "not trained (missing)"));
        continue;
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "%-11s %-22s %9.2f %7.4f %8.4f %12s%n",
              r.noise().label(),
              r.variant(),
              r.psnrDb(),
              r.ssim(),
              r.cosine(),
              Double.isNaN(r.msPerImage())
                  ? "-"
                  : String.format(Locale.ROOT, "%.1f", r.msPerImage())));
    }
    return sb.toString();
  }

  static List<float[]> tiles(TileGrid grid, GrayImage image) {
    GrayImage padded = grid.pad(image);
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < grid.tileCount(); i++) {
      out.add(grid.tile(padded, i));
    }
    return out;
  }

  private static final class Acc {
    double psnr;
    double ssim;
    double cosine;
    final List<Double> ms = new ArrayList<>();
    int n;

    void add(
        GrayImage clean,
        GrayImage out,
        ImageReconstructor full,
        float[][] cleanEmb,
        TileGrid grid,
        double millis)
        throws IOException {
      psnr += ImageMetrics.psnr(out.pixels(), clean.pixels());
      ssim += ImageMetrics.ssim(out.pixels(), clean.pixels(), clean.width(), clean.height());
      float[][] emb = full.embed(tiles(grid, out));
      double c = 0;
      for (int i = 0; i < emb.length; i++) {
        c += ImageMetrics.cosine(emb[i], cleanEmb[i]);
      }
      cosine += c / emb.length;
      if (!Double.isNaN(millis)) {
        ms.add(millis);
      }
      n++;
    }

    Row row(Noise noise, String variant) {
      if (n == 0) {
        return new Row(noise, variant, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
      }
      double median = Double.NaN;
      if (!ms.isEmpty()) {
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        median = sorted[sorted.length / 2];
      }
      return new Row(noise, variant, psnr / n, ssim / n, cosine / n, median);
    }
  }
}
