package io.prosima.imaging.verify;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.model.Networks;
import io.prosima.imaging.tiling.QuantizedLatent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The verifier's per-tile test on content latents (E = a tile's 8x8 block means, {@link
 * Networks#encoder}): how far the query tile's block means stray from the anchored ones beyond what
 * benign changes explain.
 *
 * <p>For block b with anchored mean a (dequantized z* + {@link Networks#LATENT_OFFSET}) and query
 * mean m, the allowed difference is
 *
 * <ul>
 *   <li>half an int8 step ({@code scale / 2}): the anchored value is rounded, by at most that;
 *   <li>{@link #NOISE_SIGMAS} standard errors of an 8x8 mean under white noise of the image's
 *       estimated sigma ({@link #noiseSigma}): {@code K * sigma / 8};
 *   <li>upwards only, the lift of Rician (magnitude) noise on a dark block: its mean is about
 *       {@code sqrt(a^2 + (pi/2) sigma^2)} (exact at a = 0, a little above the true mean
 *       elsewhere).
 * </ul>
 *
 * The tile's score is the largest excess over all blocks (0 or below = fully explained). A clean
 * copy with a local edit has sigma near 0, so even small edits stand out; a noisy copy gets the
 * tolerance its noise needs. The noise level is estimated on the whole image, so noise added to one
 * tile (to hide an edit) barely moves it.
 */
public final class BlockDeviation {
  /**
   * Standard errors of a block mean allowed under noise. 8x8 means of white noise are Gaussian to a
   * good approximation; 16 tiles x 64 blocks = 1,024 blocks an image, and P(|N(0,1)| &gt; 5) x 1024
   * is 6e-4, so 5 leaves room for the error of the estimated sigma.
   */
  public static final double NOISE_SIGMAS = 5;

  private static final double MAD_TO_SIGMA = 1 / 0.6745;

  /** A block anchored at or below this mean is black background (where magnitude noise lifts). */
  static final double BLACK_LEVEL = 0.02;

  /** Fewest black blocks from which the background lift is read. */
  static final int BLACK_BLOCKS_MIN = 32;

  private BlockDeviation() {}

  /**
   * The white-noise sigma of {@code image}, robustly: the median absolute diagonal Haar detail (a -
   * b - c + d) / 2 of its non-overlapping 2x2 blocks, / 0.6745. Edges and texture touch few 2x2
   * blocks, so the median sees the noise; a clean 8-bit slice gives about 0.
   */
  public static double noiseSigma(GrayImage image) {
    int w = image.width() / 2;
    int h = image.height() / 2;
    if (w == 0 || h == 0) {
      return 0;
    }
    float[] px = image.pixels();
    double[] detail = new double[w * h];
    int width = image.width();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = 2 * y * width + 2 * x;
        detail[y * w + x] = Math.abs(px[i] - px[i + 1] - px[i + width] + px[i + width + 1]) / 2;
      }
    }
    Arrays.sort(detail);
    int n = detail.length;
    double median = n % 2 == 1 ? detail[n / 2] : (detail[n / 2 - 1] + detail[n / 2]) / 2;
    return median * MAD_TO_SIGMA;
  }

  /**
   * The tile's score: max over blocks of |m - a| minus the allowed difference (above). {@code
   * query} is E of the query tile (float, offset like the latent), {@code anchored} the leaf's
   * latent, {@code sigma} the image's noise estimate.
   *
   * @throws IllegalArgumentException if the sizes differ or sigma is negative or not finite
   */
  public static double score(float[] query, QuantizedLatent anchored, double sigma) {
    return score(query, anchored, sigma, sigma);
  }

  /**
   * The sigma of magnitude (Rician) noise seen on black background: the median lift (query mean
   * minus anchored mean) over every block anchored at or below {@link #BLACK_LEVEL} in the given
   * tiles, / sqrt(pi/2); 0 with fewer than {@link #BLACK_BLOCKS_MIN} such blocks. A median over the
   * whole image's background: a local edit cannot move it.
   */
  public static double magnitudeSigma(List<float[]> queries, List<QuantizedLatent> anchored) {
    if (queries.size() != anchored.size()) {
      throw new IllegalArgumentException("one anchored latent per query tile");
    }
    List<Double> lifts = new ArrayList<>();
    for (int t = 0; t < queries.size(); t++) {
      float[] a = anchored.get(t).dequantize();
      float[] q = queries.get(t);
      for (int b = 0; b < Math.min(a.length, q.length); b++) {
        if (a[b] + Networks.LATENT_OFFSET <= BLACK_LEVEL) {
          lifts.add((double) (q[b] - a[b]));
        }
      }
    }
    if (lifts.size() < BLACK_BLOCKS_MIN) {
      return 0;
    }
    Collections.sort(lifts);
    double median = lifts.get(lifts.size() / 2);
    return Math.max(0, median / Math.sqrt(Math.PI / 2));
  }

  /**
   * The spread of block means that the whole image shows: 1.4826 x the median of |query - anchored|
   * less int8 rounding, over every tissue block (anchored above {@link #BLACK_LEVEL}) of every
   * tile, unchanged tiles included (all tiles when fewer than {@link #BLACK_BLOCKS_MIN} are
   * tissue). A denoised copy (G's reconstruction) has almost no pixel noise left, but its block
   * means still carry the noise of the copy it came from: the pixel estimate cannot see that, this
   * spread does. A local edit moves a few blocks of one or two tiles and barely moves the median;
   * an edit of more than half the image's tissue blocks would, and would widen the tolerance.
   */
  public static double blockSigma(List<float[]> queries, List<QuantizedLatent> anchored) {
    if (queries.size() != anchored.size()) {
      throw new IllegalArgumentException("one anchored latent per query tile");
    }
    List<Double> tissue = new ArrayList<>();
    List<Double> all = new ArrayList<>();
    for (int t = 0; t < queries.size(); t++) {
      float[] a = anchored.get(t).dequantize();
      float[] q = queries.get(t);
      // Beyond int8 rounding only: a clean copy's block means differ by rounding and nothing else.
      double rounding = anchored.get(t).scale() / 2.0;
      for (int b = 0; b < Math.min(a.length, q.length); b++) {
        double d = Math.max(0, Math.abs(q[b] - a[b]) - rounding);
        all.add(d);
        if (a[b] + Networks.LATENT_OFFSET > BLACK_LEVEL) {
          tissue.add(d);
        }
      }
    }
    List<Double> use = tissue.size() >= BLACK_BLOCKS_MIN ? tissue : all;
    if (use.isEmpty()) {
      return 0;
    }
    Collections.sort(use);
    return MAD_TO_SIGMA * use.get(use.size() / 2);
  }

  /**
   * As {@link #score(float[], QuantizedLatent, double)}, with the Rician lift judged at the larger
   * of {@code sigma} and {@code magnitudeSigma} ({@link #magnitudeSigma}).
   */
  public static double score(
      float[] query, QuantizedLatent anchored, double sigma, double magnitudeSigma) {
    return score(query, anchored, sigma, magnitudeSigma, 0);
  }

  /**
   * The full rule: the noise term is {@link #NOISE_SIGMAS} x the larger of sigma / 8 (pixel noise
   * averaged over a block) and {@code blockSigma} ({@link #blockSigma}, the image's spread of block
   * means).
   */
  public static double score(
      float[] query,
      QuantizedLatent anchored,
      double sigma,
      double magnitudeSigma,
      double blockSigma) {
    if (!(blockSigma >= 0) || Double.isInfinite(blockSigma)) {
      throw new IllegalArgumentException("block sigma must be finite and >= 0");
    }
    float[] a = anchored.dequantize();
    if (query.length != a.length || a.length == 0) {
      throw new IllegalArgumentException(
          "query latent has " + query.length + " values, anchored " + a.length);
    }
    if (!(sigma >= 0) || Double.isInfinite(sigma)) {
      throw new IllegalArgumentException("noise sigma must be finite and >= 0: " + sigma);
    }
    if (!(magnitudeSigma >= 0) || Double.isInfinite(magnitudeSigma)) {
      throw new IllegalArgumentException("magnitude sigma must be finite and >= 0");
    }
    double liftSigma = Math.max(sigma, magnitudeSigma);
    double rounding = anchored.scale() / 2.0;
    double noise = NOISE_SIGMAS * Math.max(sigma / Networks.LATENT_BLOCK_PX, blockSigma);
    double max = Double.NEGATIVE_INFINITY;
    for (int b = 0; b < a.length; b++) {
      double anchoredMean = Math.max(0, a[b] + Networks.LATENT_OFFSET);
      double d = query[b] - a[b];
      double allowed = rounding + noise;
      if (d > 0) {
        allowed += ricianLift(anchoredMean, liftSigma);
      }
      max = Math.max(max, Math.abs(d) - allowed);
    }
    return max;
  }

  /**
   * How much magnitude noise of {@code sigma} may raise the mean of a block of mean a. Rician lift
   * is per pixel: about sqrt(a^2 + (pi/2) sigma^2) - a for a block of uniform a, but a block at the
   * edge of the anatomy mixes black pixels (lifted by 1.2533 sigma) with tissue (lifted by almost
   * nothing), and its mean alone cannot tell. The bound 1.2533 sigma (1 - a) covers every mix of
   * black and tissue up to full scale, so the larger of the two is allowed. It is zero on a copy
   * without noise, where local edits are judged.
   */
  static double ricianLift(double a, double sigma) {
    double uniform = Math.sqrt(a * a + Math.PI / 2 * sigma * sigma) - a;
    double mixed = Math.sqrt(Math.PI / 2) * sigma * Math.max(0, 1 - a);
    return Math.max(uniform, mixed);
  }
}
