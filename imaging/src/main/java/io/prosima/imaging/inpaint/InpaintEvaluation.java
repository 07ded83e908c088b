package io.prosima.imaging.inpaint;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.metrics.ImageMetrics;
import io.prosima.imaging.model.ImageReconstructor;
import io.prosima.imaging.model.Networks;
import io.prosima.imaging.tiling.QuantizedLatent;
import io.prosima.imaging.tiling.TileGrid;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lost-tile table of `prosima model eval-inpaint` (issue 13, item 4): on the validation slices,
 * tiles are lost and rebuilt by the harmonic fill, by the inpainting G with z = 0 and by the same G
 * with z*, the quantized E(clean tile) that the chain holds for every tile.
 *
 * <p>Cases, per slice: every tile with anatomy (clean mean at least {@value #ANATOMY_MEAN_MIN})
 * lost on its own, and every horizontally adjacent pair of such tiles lost together (like tiles 5
 * and 6 of a 4x4 grid). Empty background tiles are left out: any method rebuilds black from black.
 * PSNR is over the lost pixels of a case (data range 1) and averaged over cases in dB; SSIM is that
 * of each lost 64x64 tile on its own (scikit-image's Gaussian SSIM, valid windows), averaged over
 * lost tiles. Nothing is random.
 */
public final class InpaintEvaluation {
  /** A tile counts as anatomy when its clean mean is at least this (pixels in [0, 1]). */
  public static final double ANATOMY_MEAN_MIN = 0.05;

  /** The methods of the table, in print order. */
  public enum Method {
    HARMONIC("harmonic fill (Laplace)"),
    G_NO_Z("inpaint G, z = 0"),
    G_Z_STAR("inpaint G, z* anchored");

    final String label;

    Method(String label) {
      this.label = label;
    }
  }

  /** One row: a case kind ("1 tile", "2 adjacent tiles") and a method. */
  public record Row(String cases, Method method, int count, double psnrDb, double ssim) {}

  private InpaintEvaluation() {}

  /** The lost-tile cases of one slice: single anatomy tiles, then adjacent anatomy pairs. */
  public static List<List<Integer>> cases(GrayImage clean, boolean pairs) {
    TileGrid grid = new TileGrid(clean.width(), clean.height());
    GrayImage padded = grid.pad(clean);
    boolean[] anatomy = new boolean[grid.tileCount()];
    for (int t = 0; t < grid.tileCount(); t++) {
      double sum = 0;
      for (float v : grid.tile(padded, t)) {
        sum += v;
      }
      anatomy[t] = sum / (TileGrid.TILE_PX * TileGrid.TILE_PX) >= ANATOMY_MEAN_MIN;
    }
    List<List<Integer>> out = new ArrayList<>();
    for (int t = 0; t < grid.tileCount(); t++) {
      if (anatomy[t] && !pairs) {
        out.add(List.of(t));
      }
      if (pairs && anatomy[t] && t % grid.cols() < grid.cols() - 1 && anatomy[t + 1]) {
        out.add(List.of(t, t + 1));
      }
    }
    return out;
  }

  /**
   * Runs the table. {@code encoder} supplies z* (its E is the shipped E the model was trained on);
   * {@code inpainter} is the G under test.
   */
  public static List<Row> run(
      List<GrayImage> validation,
      ImageReconstructor encoder,
      TileInpainter inpainter,
      PrintStream progress)
      throws IOException {
    List<Row> rows = new ArrayList<>();
    for (boolean pairs : new boolean[] {false, true}) {
      Acc[] acc = {new Acc(), new Acc(), new Acc()};
      for (int s = 0; s < validation.size(); s++) {
        GrayImage clean = validation.get(s);
        TileGrid grid = TileGrid.of(clean);
        List<QuantizedLatent> zStar = encoder.latents(clean);
        List<float[]> zeros = new ArrayList<>();
        for (int i = 0; i < grid.tileCount(); i++) {
          zeros.add(new float[Networks.EMBEDDING_DIM]);
        }
        for (List<Integer> c : cases(clean, pairs)) {
          LostTiles lost = LostTiles.of(grid, c);
          GrayImage damaged = lost.zeroed(clean);
          acc[0].add(clean, lost.harmonic(damaged), lost);
          acc[1].add(clean, inpainter.inpaintWithLatents(damaged, lost, zeros), lost);
          acc[2].add(clean, inpainter.inpaint(damaged, lost, zStar), lost);
        }
        if (progress != null && (s + 1) % 10 == 0) {
          progress.printf(
              Locale.ROOT,
              "eval-inpaint %s: %d/%d slices%n",
              pairs ? "pairs" : "single tiles",
              s + 1,
              validation.size());
        }
      }
      String label = pairs ? "2 adjacent tiles" : "1 tile";
      for (Method m : Method.values()) {
        rows.add(acc[m.ordinal()].row(label, m));
      }
    }
    return rows;
  }

  /** The table as text, with the gain of z* over z = 0 per case kind. */
  public static String format(List<Row> rows, int slices) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "Validation: %d slices (indices 120-149, 230-259); lost = tiles with anatomy (clean"
                + " mean >= %.2f); metrics on the lost tiles only%n",
            slices,
            ANATOMY_MEAN_MIN));
    sb.append(
        String.format(
            Locale.ROOT,
            "%-17s %-25s %6s %9s %7s%n",
            "lost",
            "method",
            "cases",
            "PSNR dB",
            "SSIM"));
    for (Row r : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-17s %-25s %6d %9.2f %7.4f%n",
              r.cases(),
              r.method().label,
              r.count(),
              r.psnrDb(),
              r.ssim()));
    }
    for (String cases : rows.stream().map(Row::cases).distinct().toList()) {
      double noZ = psnr(rows, cases, Method.G_NO_Z);
      double zStar = psnr(rows, cases, Method.G_Z_STAR);
      sb.append(
          String.format(
              Locale.ROOT,
              "%s: z* over z = 0 %+.2f dB (target +3.00 dB), over harmonic %+.2f dB%n",
              cases,
              zStar - noZ,
              zStar - psnr(rows, cases, Method.HARMONIC)));
    }
    return sb.toString();
  }

  /** The PSNR of a row, NaN when absent. */
  public static double psnr(List<Row> rows, String cases, Method m) {
    return rows.stream()
        .filter(r -> r.cases().equals(cases) && r.method() == m)
        .mapToDouble(Row::psnrDb)
        .findFirst()
        .orElse(Double.NaN);
  }

  private static final class Acc {
    double psnr;
    double ssim;
    int cases;
    int tiles;

    void add(GrayImage clean, GrayImage out, LostTiles lost) {
      psnr += ImageMetrics.psnr(lost.lostPixels(out), lost.lostPixels(clean));
      TileGrid grid = lost.grid();
      GrayImage pc = grid.pad(clean);
      GrayImage po = grid.pad(out);
      for (int t : lost.indices()) {
        ssim +=
            ImageMetrics.ssim(
                grid.tile(po, t), grid.tile(pc, t), TileGrid.TILE_PX, TileGrid.TILE_PX);
        tiles++;
      }
      cases++;
    }

    Row row(String label, Method m) {
      return cases == 0
          ? new Row(label, m, 0, Double.NaN, Double.NaN)
          : new Row(label, m, cases, psnr / cases, ssim / tiles);
    }
  }
}
