package io.prosima.imaging.tamper;

import io.prosima.imaging.verify.ImageVerifier;
import io.prosima.imaging.verify.TamperedRegion;
import java.util.ArrayList;
import java.util.List;

/**
 * One benchmark case after verification: what was done, which tiles it changed (content hash
 * differs), the shipped verifier's flagged tiles, and the per-tile scores from which the
 * training-threshold verifier and the pHash baseline flag tiles.
 *
 * @param group report class, e.g. "splice 16px" or "jpeg q90"
 * @param placement "inside" or "border" for malicious cases, "" for benign ones
 * @param benign a benign (whole-image) change
 * @param editedTiles tiles whose content hash differs from the fingerprint's, ascending
 * @param shippedFlags tiles the shipped verifier calls TAMPERED, ascending
 * @param deviations per tile, the verifier's block-mean excess over the anchored latent ({@code
 *     BlockDeviation.score}); NaN where not computed (unchanged tile)
 * @param hamming per tile, pHash Hamming distance to the clean tile's hash (0 when unchanged)
 * @param anatomyHamming as {@code hamming}, but 0 on tiles that were background in the clean image
 * @param gridCols tiles per row of the image's grid (neighbours for the verifier's region growth)
 */
public record ScoredCase(
    String group,
    String placement,
    boolean benign,
    List<Integer> editedTiles,
    List<Integer> shippedFlags,
    double[] deviations,
    int[] hamming,
    int[] anatomyHamming,
    int gridCols) {

  /** Highest deviation over the changed tiles; negative infinity when no tile changed. */
  public double maxDeviation() {
    double max = Double.NEGATIVE_INFINITY;
    for (double d : deviations) {
      if (!Double.isNaN(d)) {
        max = Math.max(max, d);
      }
    }
    return max;
  }

  public int maxHamming() {
    return max(hamming);
  }

  public int maxAnatomyHamming() {
    return max(anatomyHamming);
  }

  private static int max(int[] values) {
    int max = 0;
    for (int h : values) {
      max = Math.max(max, h);
    }
    return max;
  }

  /**
   * Tiles the verifier's rule names at another primary threshold: deviation above {@code
   * threshold}, grown into neighbours as {@link ImageVerifier} does.
   */
  public List<Integer> flaggedByDeviation(double threshold) {
    return TamperedRegion.flagged(
        deviations,
        gridCols,
        threshold,
        Math.min(threshold, ImageVerifier.NEIGHBOUR_DEVIATION_MAX));
  }

  /** Tiles whose pHash distance is above {@code threshold}. */
  public List<Integer> flaggedByHamming(double threshold) {
    return above(hamming, threshold);
  }

  /** Tiles with anatomy whose pHash distance is above {@code threshold}. */
  public List<Integer> flaggedByAnatomyHamming(double threshold) {
    return above(anatomyHamming, threshold);
  }

  private static List<Integer> above(int[] values, double threshold) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      if (values[i] > threshold) {
        out.add(i);
      }
    }
    return out;
  }

  /** Detected: some tile flagged. Localised: every edited tile among the flagged ones. */
  public static boolean localised(List<Integer> edited, List<Integer> flagged) {
    return !flagged.isEmpty() && flagged.containsAll(edited);
  }
}
