package io.prosima.imaging.tiling;

import com.google.protobuf.ByteString;
import io.prosima.imaging.io.GrayImage;
import io.prosima.proto.v1.TileLeaf;
import io.prosima.proto.wire.ImageLeaves;
import io.prosima.proto.wire.Sha256;
import java.util.ArrayList;
import java.util.List;

/**
 * Canonical tile bytes and tile content hashes.
 *
 * <p>Canonical bytes of a tile: its 64x64 pixels in row-major order, each clipped to [0, 1],
 * quantized to an unsigned 16-bit integer {@code round(v * 65535)} and written big-endian (8192
 * bytes). Floats are not hashed directly because equal images must hash equally on every machine;
 * 16 bits keep more precision than any 8-bit source and than the models' output needs. The content
 * hash is SHA-256 of these bytes. Leaves and the Merkle root follow {@link ImageLeaves}.
 */
public final class TileHashes {
  /** Length of a tile's canonical bytes. */
  public static final int CANONICAL_BYTES = TileGrid.TILE_PX * TileGrid.TILE_PX * 2;

  private TileHashes() {}

  public static byte[] canonicalBytes(float[] tile) {
    if (tile.length != TileGrid.TILE_PX * TileGrid.TILE_PX) {
      throw new IllegalArgumentException("a tile has " + TileGrid.TILE_PX + "^2 pixels");
    }
    byte[] out = new byte[CANONICAL_BYTES];
    for (int i = 0; i < tile.length; i++) {
      float v = tile[i];
      int q = Float.isNaN(v) ? 0 : Math.round(Math.min(1f, Math.max(0f, v)) * 65535f);
      out[2 * i] = (byte) (q >>> 8);
      out[2 * i + 1] = (byte) q;
    }
    return out;
  }

  public static byte[] contentHash(float[] tile) {
    return Sha256.hash(canonicalBytes(tile));
  }

  /** Content hashes of every tile of an image (padded to its grid), in index order. */
  public static List<byte[]> contentHashes(GrayImage image) throws java.io.IOException {
    TileGrid grid = TileGrid.of(image);
    GrayImage padded = grid.pad(image);
    List<byte[]> out = new ArrayList<>(grid.tileCount());
    for (int i = 0; i < grid.tileCount(); i++) {
      out.add(contentHash(grid.tile(padded, i)));
    }
    return out;
  }

  /**
   * The tile leaves of an image: content hashes plus per-tile latents (may be null for "no
   * encoder", giving empty latents with scale 0).
   */
  public static List<TileLeaf> leaves(GrayImage image, List<QuantizedLatent> latents)
      throws java.io.IOException {
    List<byte[]> hashes = contentHashes(image);
    if (latents != null && latents.size() != hashes.size()) {
      throw new IllegalArgumentException(
          hashes.size() + " tiles but " + latents.size() + " latents");
    }
    List<TileLeaf> out = new ArrayList<>(hashes.size());
    for (int i = 0; i < hashes.size(); i++) {
      TileLeaf.Builder b =
          TileLeaf.newBuilder().setIndex(i).setContentHash(ByteString.copyFrom(hashes.get(i)));
      if (latents != null) {
        b.setLatent(ByteString.copyFrom(latents.get(i).values()))
            .setLatentScale(latents.get(i).scale());
      }
      out.add(b.build());
    }
    return out;
  }

  /** The image's Merkle root over its leaves ({@link ImageLeaves#root}). */
  public static byte[] merkleRoot(List<TileLeaf> leaves) {
    return ImageLeaves.root(leaves);
  }
}
