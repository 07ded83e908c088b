package io.prosima.proto.wire;

import io.prosima.proto.v1.TileLeaf;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Image fingerprints: leaf = SHA-256("prosima/tile/v1" || 0x00 || u32be(index) || content_hash ||
 * H(z)), with H(z) = SHA-256(latent int8 bytes || f32be(latent_scale)); the image's Merkle root is
 * the RFC 6962 root over the leaves in index order.
 */
public final class ImageLeaves {
  private ImageLeaves() {}

  // Fixed for the tile tag; computed once rather than per leaf (a 16-tile anchor hashes 16).
  private static final byte[] TILE_PREFIX = DomainTags.prefix(DomainTags.TILE);

  public static byte[] latentHash(byte[] latent, float scale) {
    MessageDigest md = Sha256.digest();
    md.update(latent);
    return finishLatentHash(md, scale);
  }

  private static byte[] finishLatentHash(MessageDigest md, float scale) {
    md.update(ByteBuffer.allocate(4).putFloat(scale).array());
    return md.digest();
  }

  public static byte[] leaf(TileLeaf tile) {
    return leaf(tile, Sha256.digest());
  }

  // Admission recomputes every anchor's leaves and root, so this path reuses one digest and reads
  // the tile's byte strings in place instead of copying them.
  private static byte[] leaf(TileLeaf tile, MessageDigest md) {
    tile.getLatent().asReadOnlyByteBufferList().forEach(md::update);
    byte[] latentHash = finishLatentHash(md, tile.getLatentScale());
    md.update(TILE_PREFIX);
    md.update(ByteBuffer.allocate(4).putInt(tile.getIndex()).array());
    tile.getContentHash().asReadOnlyByteBufferList().forEach(md::update);
    md.update(latentHash);
    return md.digest();
  }

  public static List<byte[]> leaves(List<TileLeaf> tiles) {
    MessageDigest md = Sha256.digest();
    List<byte[]> out = new ArrayList<>(tiles.size());
    for (TileLeaf tile : tiles) {
      out.add(leaf(tile, md));
    }
    return out;
  }

  public static byte[] root(List<TileLeaf> tiles) {
    return MerkleTree.root(leaves(tiles));
  }
}
