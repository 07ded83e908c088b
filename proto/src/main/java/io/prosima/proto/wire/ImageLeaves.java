package io.prosima.proto.wire;

import io.prosima.proto.v1.TileLeaf;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Image fingerprints: leaf = SHA-256("prosima/tile/v1" || 0x00 || u32be(index) || content_hash ||
 * H(z)), with H(z) = SHA-256(latent int8 bytes || f32be(latent_scale)); the image's Merkle root is
 * the RFC 6962 root over the leaves in index order.
 */
public final class ImageLeaves {
  private ImageLeaves() {}

  public static byte[] latentHash(byte[] latent, float scale) {
    var md = Sha256.digest();
    md.update(latent);
    md.update(ByteBuffer.allocate(4).putFloat(scale).array());
    return md.digest();
  }

  public static byte[] leaf(TileLeaf tile) {
    byte[] index = ByteBuffer.allocate(4).putInt(tile.getIndex()).array();
    return Sha256.tagged(
        DomainTags.TILE,
        index,
        tile.getContentHash().toByteArray(),
        latentHash(tile.getLatent().toByteArray(), tile.getLatentScale()));
  }

  public static List<byte[]> leaves(List<TileLeaf> tiles) {
    List<byte[]> out = new ArrayList<>(tiles.size());
    for (TileLeaf tile : tiles) {
      out.add(leaf(tile));
    }
    return out;
  }

  public static byte[] root(List<TileLeaf> tiles) {
    return MerkleTree.root(leaves(tiles));
  }
}
