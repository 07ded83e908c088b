package io.prosima.consensus.execution;

import static io.prosima.proto.v1.RefusalCode.REFUSAL_MERKLE_ROOT_MISMATCH;
import static io.prosima.proto.v1.RefusalCode.REFUSAL_PAYLOAD_INVALID;

import io.prosima.proto.v1.ImageAnchor;
import io.prosima.proto.v1.TileGrid;
import io.prosima.proto.v1.TileLeaf;
import io.prosima.proto.wire.ImageLeaves;
import java.util.Arrays;
import java.util.List;

/**
 * The chain's rules for an anchor's fingerprint: the grid, one well-formed leaf per tile in order,
 * and a Merkle root that matches the leaves. Public so that an off-chain fingerprint file is held
 * to the very rules an anchor is (one implementation, see {@code FingerprintFile}).
 */
public final class AnchorLeaves {
  static final int GRID_SIDE_TILES_MAX = 64;
  static final int IMAGE_SIDE_PIXELS_MAX = 16_384;
  static final int LATENT_BYTES_MAX = 512;
  static final int HASH_BYTES = 32;

  private AnchorLeaves() {}

  /** Null when the grid, leaves and root are well formed and consistent; else the refusal. */
  public static Refusal check(ImageAnchor a) {
    TileGrid g = a.getGrid();
    if (g.getImageWidth() < 1
        || g.getImageWidth() > IMAGE_SIDE_PIXELS_MAX
        || g.getImageHeight() < 1
        || g.getImageHeight() > IMAGE_SIDE_PIXELS_MAX) {
      return invalid("image size must be 1.." + IMAGE_SIDE_PIXELS_MAX + " pixels per side");
    }
    if (g.getRows() < 1
        || g.getRows() > GRID_SIDE_TILES_MAX
        || g.getCols() < 1
        || g.getCols() > GRID_SIDE_TILES_MAX) {
      return invalid("tile grid must be 1.." + GRID_SIDE_TILES_MAX + " tiles per side");
    }
    if (g.getRows() > g.getImageHeight() || g.getCols() > g.getImageWidth()) {
      return invalid("tile grid has more tiles than pixels along a side");
    }
    int tiles = g.getRows() * g.getCols();
    if (a.getLeavesCount() != tiles) {
      return invalid(
          "grid has " + tiles + " tiles but " + a.getLeavesCount() + " leaves are given");
    }
    List<TileLeaf> leaves = a.getLeavesList();
    for (int i = 0; i < leaves.size(); i++) {
      TileLeaf leaf = leaves.get(i);
      if (leaf.getIndex() != i) {
        return invalid("leaf " + i + " has index " + leaf.getIndex() + "; leaves must be in order");
      }
      if (leaf.getContentHash().size() != HASH_BYTES) {
        return invalid("leaf " + i + ": content_hash must be 32 bytes");
      }
      if (leaf.getLatent().size() > LATENT_BYTES_MAX) {
        return invalid("leaf " + i + ": latent above " + LATENT_BYTES_MAX + " bytes");
      }
      float scale = leaf.getLatentScale();
      if (!Float.isFinite(scale) || scale < 0 || (!leaf.getLatent().isEmpty() && scale == 0)) {
        return invalid("leaf " + i + ": latent_scale must be finite and positive");
      }
    }
    if (a.getMerkleRoot().size() != HASH_BYTES) {
      return invalid("merkle_root must be 32 bytes");
    }
    if (!Arrays.equals(ImageLeaves.root(leaves), a.getMerkleRoot().toByteArray())) {
      return Refusal.of(REFUSAL_MERKLE_ROOT_MISMATCH, "merkle_root does not match the leaves");
    }
    return null;
  }

  private static Refusal invalid(String message) {
    return Refusal.of(REFUSAL_PAYLOAD_INVALID, message);
  }
}
