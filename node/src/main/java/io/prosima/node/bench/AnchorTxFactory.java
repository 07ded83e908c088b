package io.prosima.node.bench;

import com.google.protobuf.ByteString;
import io.prosima.node.client.TxSigner;
import io.prosima.proto.v1.EncryptionInfo;
import io.prosima.proto.v1.ImageAnchor;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.TileGrid;
import io.prosima.proto.v1.TileLeaf;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.wire.ImageLeaves;
import io.prosima.proto.wire.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Signed ImageAnchor transactions of realistic shape (4×4 tiles of a 256×256 image, 64-byte int8
 * latents) for load tests, benchmarks and the demo. Tile hashes are derived from the image id:
 * these are synthetic fingerprints, not of real pixels, and no fragments are stored (no placement).
 */
public final class AnchorTxFactory {
  public static final int GRID_SIDE_TILES = 4;
  public static final int LATENT_BYTES = 64;

  private final String chainId;

  public AnchorTxFactory(String chainId) {
    this.chainId = chainId;
  }

  public static ImageAnchor anchor(String imageId) {
    SplittableRandom random = new SplittableRandom(imageId.hashCode());
    List<TileLeaf> leaves = new ArrayList<>();
    for (int i = 0; i < GRID_SIDE_TILES * GRID_SIDE_TILES; i++) {
      byte[] latent = new byte[LATENT_BYTES];
      for (int j = 0; j < latent.length; j++) {
        latent[j] = (byte) random.nextInt(256);
      }
      leaves.add(
          TileLeaf.newBuilder()
              .setIndex(i)
              .setContentHash(
                  ByteString.copyFrom(
                      Sha256.hash((imageId + "#" + i).getBytes(StandardCharsets.UTF_8))))
              .setLatent(ByteString.copyFrom(latent))
              .setLatentScale(0.02f)
              .build());
    }
    return ImageAnchor.newBuilder()
        .setImageId(imageId)
        .setGrid(
            TileGrid.newBuilder()
                .setImageWidth(256)
                .setImageHeight(256)
                .setRows(GRID_SIDE_TILES)
                .setCols(GRID_SIDE_TILES))
        .addAllLeaves(leaves)
        .setMerkleRoot(ByteString.copyFrom(ImageLeaves.root(leaves)))
        .setEncryption(EncryptionInfo.newBuilder().setAlgorithm("AES-256-GCM"))
        .setModality("MR")
        .build();
  }

  public Transaction sign(KeyFile key, long nonce, long expiryHeight, Payload payload) {
    return TxSigner.sign(chainId, key, nonce, expiryHeight, payload);
  }

  public Transaction anchorTx(KeyFile key, long nonce, long expiryHeight, String imageId) {
    return sign(
        key, nonce, expiryHeight, Payload.newBuilder().setImageAnchor(anchor(imageId)).build());
  }
}
