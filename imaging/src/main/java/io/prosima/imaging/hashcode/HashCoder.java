package io.prosima.imaging.hashcode;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.tiling.TileGrid;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The similarity code of an image (issue 16): E's latents of the {@link CanonicalView}'s 16 tiles,
 * concatenated in tile order (16 x 64 values), through the shipped {@link HashProjection}. Pure
 * given E: the same image gives the same code on every machine that runs the same E.
 */
public final class HashCoder {
  /** Folder of the shipped projection under the models directory. */
  public static final String DIR = "hashcode";

  /** The shipped projection file in {@link #DIR}. */
  public static final String FILE = "projection.bin";

  /** Bits of the shipped code; the ledger accepts exactly {@code CODE_BITS / 8} bytes. */
  public static final int CODE_BITS = 128;

  public static final int CODE_BYTES = CODE_BITS / 8;

  private final TileEmbedder encoder;
  private final HashProjection projection;

  public HashCoder(TileEmbedder encoder, HashProjection projection) {
    if (projection.bits() != CODE_BITS) {
      throw new IllegalArgumentException("the projection gives " + projection.bits() + " bits");
    }
    this.encoder = encoder;
    this.projection = projection;
  }

  /** The projection shipped in {@code modelsDir/hashcode/projection.bin}. */
  public static Path shippedFile(Path modelsDir) {
    return modelsDir.resolve(DIR).resolve(FILE);
  }

  public byte[] code(GrayImage image) throws IOException {
    return projection.code(features(encoder, image));
  }

  /** A query: its code and each bit's margin (for {@link #asymmetricDistance}). */
  public record Query(byte[] code, double[] margins) {}

  public Query query(GrayImage image) throws IOException {
    double[] m = projection.margins(features(encoder, image));
    return new Query(HashProjection.codeOf(m), m);
  }

  /**
   * Asymmetric distance of a query to an anchored code: the sum of |margin| over the bits where
   * they differ. A bit the query holds only barely (small margin) costs little, so among candidates
   * at similar Hamming distance the one that differs only in unsure bits ranks first. Used to
   * re-rank the Hamming search's shortlist; the anchored side stays a binary code.
   */
  public static double asymmetricDistance(double[] queryMargins, byte[] code) {
    double d = 0;
    for (int j = 0; j < queryMargins.length; j++) {
      boolean bit = (code[j >>> 3] & (0x80 >>> (j & 7))) != 0;
      if (bit != queryMargins[j] > 0) {
        d += Math.abs(queryMargins[j]);
      }
    }
    return d;
  }

  /** The feature vector the projection sees: E of each canonical tile, concatenated. */
  public static float[] features(TileEmbedder encoder, GrayImage image) throws IOException {
    GrayImage view = CanonicalView.of(image);
    TileGrid grid = TileGrid.of(view);
    List<float[]> tiles = new ArrayList<>(grid.tileCount());
    for (int i = 0; i < grid.tileCount(); i++) {
      tiles.add(grid.tile(view, i));
    }
    float[][] z = encoder.embed(tiles);
    int d = z.length == 0 ? 0 : z[0].length;
    float[] out = new float[z.length * d];
    for (int i = 0; i < z.length; i++) {
      if (z[i].length != d) {
        throw new IOException("encoder gave embeddings of different lengths");
      }
      System.arraycopy(z[i], 0, out, i * d, d);
    }
    return out;
  }

  /** Hamming distance between two codes of equal length. */
  public static int distance(byte[] a, byte[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("codes of different lengths");
    }
    int d = 0;
    for (int i = 0; i < a.length; i++) {
      d += Integer.bitCount((a[i] ^ b[i]) & 0xFF);
    }
    return d;
  }
}
