package io.prosima.imaging.inpaint;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.metrics.ImageMetrics;
import io.prosima.imaging.model.ImageReconstructor;
import io.prosima.imaging.model.Networks;
import io.prosima.imaging.tiling.QuantizedLatent;
import io.prosima.imaging.tiling.TileGrid;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How much of a tile its latent z* alone can give back, without neighbours: a ridge regression from
 * z* to the tile's 8x8 block means, fitted on training tiles and scored on validation tiles, and
 * the nearest training tile by z*; next to two references computed from the true tile, a flat tile
 * at its mean and its own 8x8 block means (64 values, about what 64 bytes could hold). Only tiles
 * with anatomy count (clean mean at least {@link InpaintEvaluation#ANATOMY_MEAN_MIN}).
 */
public final class LatentContentProbe {
  /** Side of the block means the ridge regression predicts (8 blocks of 8 px per tile side). */
  static final int BLOCK_PX = 8;

  /** Ridge penalty on the latent weights (not the bias); z* is unit length. */
  static final double RIDGE = 0.01;

  private LatentContentProbe() {}

  /** Mean PSNR in dB over the validation tiles for each way of rebuilding a tile. */
  public record Result(
      int trainTiles,
      int validationTiles,
      double ridgePsnrDb,
      double nearestPsnrDb,
      double flatMeanPsnrDb,
      double trueBlocksPsnrDb) {
    public String format() {
      return String.format(
          Locale.ROOT,
          "z* alone, no neighbours (%d training / %d validation anatomy tiles), PSNR on the tile:%n"
              + "  ridge z* -> 8x8 block means    %6.2f dB%n"
              + "  nearest training tile by z*    %6.2f dB%n"
              + "  reference: flat at true mean   %6.2f dB%n"
              + "  reference: true 8x8 block means %5.2f dB%n",
          trainTiles,
          validationTiles,
          ridgePsnrDb,
          nearestPsnrDb,
          flatMeanPsnrDb,
          trueBlocksPsnrDb);
    }
  }

  private record Tile(float[] z, float[] pixels, double[] blocks) {}

  public static Result run(List<GrayImage> train, List<GrayImage> validation, ImageReconstructor e)
      throws IOException {
    List<Tile> tr = tiles(train, e);
    List<Tile> va = tiles(validation, e);
    if (tr.isEmpty() || va.isEmpty()) {
      throw new IllegalArgumentException("no anatomy tiles to probe");
    }
    double[][] w = fit(tr);
    double ridge = 0;
    double nearest = 0;
    double flat = 0;
    double blocks = 0;
    for (Tile t : va) {
      ridge += ImageMetrics.psnr(upsample(predict(w, t.z)), t.pixels);
      blocks += ImageMetrics.psnr(upsample(t.blocks), t.pixels);
      double mean = 0;
      for (double b : t.blocks) {
        mean += b / t.blocks.length;
      }
      float[] flatTile = new float[t.pixels.length];
      java.util.Arrays.fill(flatTile, (float) mean);
      flat += ImageMetrics.psnr(flatTile, t.pixels);
      Tile best = tr.get(0);
      double bestDot = Double.NEGATIVE_INFINITY;
      for (Tile u : tr) {
        double dot = 0;
        for (int i = 0; i < t.z.length; i++) {
          dot += t.z[i] * u.z[i];
        }
        if (dot > bestDot) {
          bestDot = dot;
          best = u;
        }
      }
      nearest += ImageMetrics.psnr(best.pixels, t.pixels);
    }
    int n = va.size();
    return new Result(tr.size(), n, ridge / n, nearest / n, flat / n, blocks / n);
  }

  private static List<Tile> tiles(List<GrayImage> images, ImageReconstructor e) throws IOException {
    List<Tile> out = new ArrayList<>();
    for (GrayImage image : images) {
      TileGrid grid = TileGrid.of(image);
      GrayImage padded = grid.pad(image);
      List<QuantizedLatent> z = e.latents(image);
      for (int t = 0; t < grid.tileCount(); t++) {
        float[] px = grid.tile(padded, t);
        double[] b = blockMeans(px);
        double mean = 0;
        for (double v : b) {
          mean += v / b.length;
        }
        if (mean >= InpaintEvaluation.ANATOMY_MEAN_MIN) {
          out.add(new Tile(z.get(t).dequantize(), px, b));
        }
      }
    }
    return out;
  }

  static double[] blockMeans(float[] tile) {
    int side = TileGrid.TILE_PX / BLOCK_PX;
    double[] out = new double[side * side];
    for (int y = 0; y < TileGrid.TILE_PX; y++) {
      for (int x = 0; x < TileGrid.TILE_PX; x++) {
        out[(y / BLOCK_PX) * side + x / BLOCK_PX] += tile[y * TileGrid.TILE_PX + x];
      }
    }
    for (int i = 0; i < out.length; i++) {
      out[i] /= BLOCK_PX * BLOCK_PX;
    }
    return out;
  }

  static float[] upsample(double[] blocks) {
    int side = TileGrid.TILE_PX / BLOCK_PX;
    float[] out = new float[TileGrid.TILE_PX * TileGrid.TILE_PX];
    for (int y = 0; y < TileGrid.TILE_PX; y++) {
      for (int x = 0; x < TileGrid.TILE_PX; x++) {
        out[y * TileGrid.TILE_PX + x] = (float) blocks[(y / BLOCK_PX) * side + x / BLOCK_PX];
      }
    }
    return out;
  }

  /** Block means predicted from z (last weight row is the bias), clipped to [0, 1]. */
  static double[] predict(double[][] w, float[] z) {
    int k = w[0].length;
    double[] out = new double[k];
    for (int j = 0; j < k; j++) {
      double s = w[z.length][j];
      for (int i = 0; i < z.length; i++) {
        s += z[i] * w[i][j];
      }
      out[j] = Math.min(1, Math.max(0, s));
    }
    return out;
  }

  /** Ridge regression by the normal equations, solved by Gauss-Jordan with partial pivoting. */
  private static double[][] fit(List<Tile> tiles) {
    int d = Networks.EMBEDDING_DIM + 1;
    int k = tiles.get(0).blocks.length;
    double[][] m = new double[d][d + k];
    for (Tile t : tiles) {
      double[] x = new double[d];
      for (int i = 0; i < d - 1; i++) {
        x[i] = t.z[i];
      }
      x[d - 1] = 1;
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          m[i][j] += x[i] * x[j];
        }
        for (int j = 0; j < k; j++) {
          m[i][d + j] += x[i] * t.blocks[j];
        }
      }
    }
    for (int i = 0; i < d - 1; i++) {
      m[i][i] += RIDGE;
    }
    for (int c = 0; c < d; c++) {
      int p = c;
      for (int r = c + 1; r < d; r++) {
        if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
          p = r;
        }
      }
      double[] swap = m[c];
      m[c] = m[p];
      m[p] = swap;
      if (m[c][c] == 0) {
        throw new IllegalStateException("ridge system is singular");
      }
      for (int r = 0; r < d; r++) {
        if (r != c) {
          double f = m[r][c] / m[c][c];
          for (int j = c; j < d + k; j++) {
            m[r][j] -= f * m[c][j];
          }
        }
      }
    }
    double[][] w = new double[d][k];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < k; j++) {
        w[i][j] = m[i][d + j] / m[i][i];
      }
    }
    return w;
  }
}
