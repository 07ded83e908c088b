package io.prosima.imaging.verify;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.model.ImageReconstructor;
import io.prosima.imaging.model.Networks;
import io.prosima.imaging.tiling.QuantizedLatent;
import io.prosima.imaging.tiling.TileGrid;
import io.prosima.imaging.tiling.TileHashes;
import io.prosima.proto.v1.TileLeaf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Verifies an image against its fingerprint, the anchored tile leaves (DESIGN.md, Provenance
 * pipeline: verification).
 *
 * <ol>
 *   <li><b>Exact.</b> The image is cut on the fingerprint's grid and each tile's content hash
 *       ({@link TileHashes}) is compared with the leaf's. All equal: {@link Verdict#AUTHENTIC}, and
 *       E is not run.
 *   <li><b>Semantic.</b> For each tile whose hash differs, E(tile) (its 8x8 block means) is
 *       compared block by block with the leaf's dequantized latent ({@link BlockDeviation}): the
 *       largest difference beyond int8 rounding, the image's estimated noise and Rician lift. A
 *       tile whose excess is above {@link #DEVIATION_MAX} is tampered. None tampered: {@link
 *       Verdict#SEMANTICALLY_CONSISTENT}; otherwise {@link Verdict#TAMPERED} naming the tiles.
 * </ol>
 *
 * <p><b>Size mismatch.</b> An image whose size differs from the fingerprint's (cropped, resized,
 * padded) cannot be compared tile by tile: the verdict is TAMPERED with every anchored tile named
 * and a note giving both sizes. This is a verdict, not a refusal, because "this file is not the
 * anchored image" is exactly what an auditor needs to record.
 *
 * <p><b>Low-information tiles.</b> A tile that was background when anchored (every anchored block
 * mean at most {@link #FOREGROUND_LEVEL}) and is still nearly empty is flagged {@link
 * TileCheck#lowInformation}. It is judged with the same rule; the flag tells the reader that
 * "consistent" there means "nothing but dark blocks to compare".
 *
 * <p>A tile whose leaf has no latent (anchored without an encoder) and whose hash differs is
 * tampered: nothing vouches for it semantically.
 */
public final class ImageVerifier {
  /**
   * Tiles whose hash differs and whose block-mean excess ({@link BlockDeviation#score}) is above
   * this are tampered.
   *
   * <p>Chosen on benign copies of the 176 <b>training</b> slices only, by {@code prosima bench
   * tamper --data ../shared/data/mri/human-t1-axial} with the shipped models (E = block means, G
   * weights 971e4e48...): its "verifier, train thr" row chose 0.0087, the value at which at most
   * 0.5 % of the 1,232 benign training copies are flagged (Gaussian noise sigma 0.01-0.05, Rician
   * 0.02, 16-&gt;8 bit, JPEG q90, G of a sigma 0.05 copy); rounded up to 0.009. The classes that
   * set it: G's reconstructions (max 0.0119) and JPEG q90 (max 0.0059). Validation figures are in
   * the model card's tamper table.
   */
  public static final double DEVIATION_MAX = 0.009;

  /**
   * A changed tile next to a tampered one (8-connected) is tampered too when its deviation is above
   * this: any excess beyond int8 rounding and noise ({@link TamperedRegion}). It names the thin
   * slivers of edits that cross a tile border and adds no false alarm to an image that had none.
   */
  public static final double NEIGHBOUR_DEVIATION_MAX = 0;

  /**
   * Intensity above which a block mean counts as foreground (data in [0, 1]; block means damp pixel
   * noise, so sigma 0.10 noise on black mostly stays below it).
   */
  public static final float FOREGROUND_LEVEL = 0.1f;

  /** A tile is nearly empty when at most this fraction of its 4x4 blocks is foreground. */
  public static final double LOW_INFORMATION_FOREGROUND_MAX = 0.02;

  static final int BLOCK_PX = 4;

  private ImageVerifier() {}

  /**
   * Verifies {@code image} against {@code expected} on the grid of the image itself: only the tile
   * count is checked against the fingerprint. Prefer {@link #verify(GrayImage, TileGrid, List,
   * ImageReconstructor)} with the anchor's grid, which also catches a changed image size.
   */
  public static VerificationResult verify(
      GrayImage image, List<TileLeaf> expected, ImageReconstructor encoder) throws IOException {
    if (expected.isEmpty()) {
      throw new IllegalArgumentException("fingerprint has no leaves");
    }
    TileGrid grid = TileGrid.of(image);
    if (grid.tileCount() != expected.size()) {
      return sizeMismatch(
          expected.size(),
          "image has " + grid.tileCount() + " tiles but the fingerprint has " + expected.size());
    }
    return verify(image, grid, expected, encoder);
  }

  /**
   * Verifies {@code image} against the fingerprint {@code expected} of an image of size {@code
   * expectedGrid} (the anchor's grid). E is run only when some content hash differs.
   *
   * @throws IllegalArgumentException if the fingerprint is malformed (leaf count, order, hash
   *     length) or its latents do not have E's dimension (another encoder)
   */
  public static VerificationResult verify(
      GrayImage image, TileGrid expectedGrid, List<TileLeaf> expected, ImageReconstructor encoder)
      throws IOException {
    checkFingerprint(expectedGrid, expected);
    if (image.width() != expectedGrid.width() || image.height() != expectedGrid.height()) {
      return sizeMismatch(
          expected.size(),
          "image is "
              + image.width()
              + "x"
              + image.height()
              + " but the fingerprint is for "
              + expectedGrid.width()
              + "x"
              + expectedGrid.height());
    }
    GrayImage padded = expectedGrid.pad(image);
    int n = expectedGrid.tileCount();
    List<float[]> tiles = new ArrayList<>(n);
    boolean[] exact = new boolean[n];
    List<Integer> changed = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] tile = expectedGrid.tile(padded, i);
      tiles.add(tile);
      exact[i] =
          Arrays.equals(
              TileHashes.contentHash(tile), expected.get(i).getContentHash().toByteArray());
      if (!exact[i]) {
        changed.add(i);
      }
    }
    if (changed.isEmpty()) {
      List<TileCheck> checks = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        checks.add(new TileCheck(i, true, Double.NaN, false, false));
      }
      return new VerificationResult(Verdict.AUTHENTIC, checks, List.of(), "");
    }
    // E of every tile: the unchanged ones too, for the image-wide spread of block means.
    float[][] all = encoder.embed(tiles);
    float[][] emb = new float[changed.size()][];
    for (int k = 0; k < changed.size(); k++) {
      emb[k] = all[changed.get(k)];
    }
    // Noise is judged on the whole image: noise added to one tile to hide an edit barely moves it.
    double sigma = BlockDeviation.noiseSigma(padded);

    TileCheck[] checks = new TileCheck[n];
    List<Integer> tampered = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      checks[i] = new TileCheck(i, true, Double.NaN, false, false);
    }
    // Magnitude noise lifts black background more than sigma says: read the lift off it.
    List<float[]> withLatent = new ArrayList<>();
    List<QuantizedLatent> anchoredLatents = new ArrayList<>();
    for (int k = 0; k < changed.size(); k++) {
      TileLeaf leaf = expected.get(changed.get(k));
      if (!leaf.getLatent().isEmpty()) {
        withLatent.add(emb[k]);
        anchoredLatents.add(anchoredLatent(leaf, emb[k].length));
      }
    }
    List<float[]> everyQuery = new ArrayList<>();
    List<QuantizedLatent> everyAnchored = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!expected.get(i).getLatent().isEmpty()) {
        everyQuery.add(all[i]);
        everyAnchored.add(anchoredLatent(expected.get(i), all[i].length));
      }
    }
    double blockSigma = BlockDeviation.blockSigma(everyQuery, everyAnchored);
    double liftSigma = BlockDeviation.magnitudeSigma(withLatent, anchoredLatents);
    double[] deviations = new double[n];
    boolean[] lowInformation = new boolean[n];
    Arrays.fill(deviations, Double.NaN);
    List<Integer> unvouched = new ArrayList<>();
    for (int k = 0; k < changed.size(); k++) {
      int i = changed.get(k);
      TileLeaf leaf = expected.get(i);
      if (leaf.getLatent().isEmpty()) {
        unvouched.add(i);
        continue;
      }
      QuantizedLatent anchored = anchoredLatent(leaf, emb[k].length);
      deviations[i] = BlockDeviation.score(emb[k], anchored, sigma, liftSigma, blockSigma);
      lowInformation[i] =
          wasBackground(anchored)
              && foregroundFraction(tiles.get(i)) <= LOW_INFORMATION_FOREGROUND_MAX;
    }
    boolean[] bad = new boolean[n];
    for (int i :
        TamperedRegion.flagged(
            deviations, expectedGrid.cols(), DEVIATION_MAX, NEIGHBOUR_DEVIATION_MAX)) {
      bad[i] = true;
    }
    for (int i : unvouched) {
      bad[i] = true;
    }
    for (int i : changed) {
      checks[i] = new TileCheck(i, false, deviations[i], lowInformation[i], bad[i]);
      if (bad[i]) {
        tampered.add(i);
      }
    }
    tampered.sort(null);
    Verdict verdict = tampered.isEmpty() ? Verdict.SEMANTICALLY_CONSISTENT : Verdict.TAMPERED;
    return new VerificationResult(verdict, List.of(checks), tampered, "");
  }

  /** The leaf's latent, refusing one of another dimension than E's output. */
  static QuantizedLatent anchoredLatent(TileLeaf leaf, int dimension) {
    if (leaf.getLatent().size() != dimension) {
      throw new IllegalArgumentException(
          "tile "
              + leaf.getIndex()
              + ": anchored latent has "
              + leaf.getLatent().size()
              + " values but the encoder gives "
              + dimension
              + " (another encoder?)");
    }
    return new QuantizedLatent(leaf.getLatent().toByteArray(), leaf.getLatentScale());
  }

  /** Every anchored block mean is at most {@link #FOREGROUND_LEVEL}: the tile was background. */
  static boolean wasBackground(QuantizedLatent anchored) {
    for (float z : anchored.dequantize()) {
      if (z + Networks.LATENT_OFFSET > FOREGROUND_LEVEL) {
        return false;
      }
    }
    return true;
  }

  /** Fraction of the tile's 4x4 blocks whose mean is above {@link #FOREGROUND_LEVEL}. */
  static double foregroundFraction(float[] tile) {
    int side = TileGrid.TILE_PX;
    int blocks = side / BLOCK_PX;
    int fg = 0;
    for (int by = 0; by < blocks; by++) {
      for (int bx = 0; bx < blocks; bx++) {
        float sum = 0;
        for (int y = 0; y < BLOCK_PX; y++) {
          for (int x = 0; x < BLOCK_PX; x++) {
            sum += tile[(by * BLOCK_PX + y) * side + bx * BLOCK_PX + x];
          }
        }
        if (sum / (BLOCK_PX * BLOCK_PX) > FOREGROUND_LEVEL) {
          fg++;
        }
      }
    }
    return fg / (double) (blocks * blocks);
  }

  private static void checkFingerprint(TileGrid grid, List<TileLeaf> leaves) {
    if (leaves.size() != grid.tileCount()) {
      throw new IllegalArgumentException(
          "fingerprint has " + leaves.size() + " leaves but its grid has " + grid.tileCount());
    }
    for (int i = 0; i < leaves.size(); i++) {
      TileLeaf leaf = leaves.get(i);
      if (leaf.getIndex() != i || leaf.getContentHash().size() != 32) {
        throw new IllegalArgumentException(
            "fingerprint leaf " + i + " is malformed (index or 32-byte content hash)");
      }
    }
  }

  private static VerificationResult sizeMismatch(int tiles, String note) {
    List<TileCheck> checks = new ArrayList<>(tiles);
    List<Integer> all = new ArrayList<>(tiles);
    for (int i = 0; i < tiles; i++) {
      checks.add(new TileCheck(i, false, Double.NaN, false, true));
      all.add(i);
    }
    return new VerificationResult(Verdict.TAMPERED, checks, all, note);
  }
}
