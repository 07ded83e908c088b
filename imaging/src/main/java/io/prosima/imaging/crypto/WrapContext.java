package io.prosima.imaging.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What a wrapped data key is for: the chain, the image, and the grantee identity (the identity's
 * ledger key bytes, e.g. its Ed25519 public key). It becomes HPKE's {@code info}, so a wrapped key
 * lifted into a grant for another chain, image or grantee does not open.
 *
 * <p>{@code info} encoding (version 1), integers big-endian:
 *
 * <pre>
 *   "prosima/key-wrap/v1" 0x00
 *   u32 len(chainId UTF-8)  chainId
 *   u32 len(imageId UTF-8)  imageId
 *   u32 len(granteeId)      granteeId
 * </pre>
 */
public record WrapContext(String chainId, String imageId, byte[] granteeId) {
  /** Identity keys are 32 bytes today; the cap leaves room for other key types. */
  public static final int GRANTEE_ID_BYTES_MAX = 128;

  static final String INFO_TAG = "prosima/key-wrap/v1";

  public WrapContext {
    TilePosition.checkId("chain id", chainId, TilePosition.CHAIN_ID_BYTES_MAX);
    TilePosition.checkId("image id", imageId, TilePosition.IMAGE_ID_BYTES_MAX);
    if (granteeId == null || granteeId.length == 0 || granteeId.length > GRANTEE_ID_BYTES_MAX) {
      throw new IllegalArgumentException(
          "grantee id must be 1.." + GRANTEE_ID_BYTES_MAX + " bytes");
    }
    granteeId = granteeId.clone();
  }

  @Override
  public byte[] granteeId() {
    return granteeId.clone();
  }

  byte[] info() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(96);
    byte[] tag = INFO_TAG.getBytes(StandardCharsets.US_ASCII);
    out.write(tag, 0, tag.length);
    out.write(0);
    TilePosition.writeField(out, chainId.getBytes(StandardCharsets.UTF_8));
    TilePosition.writeField(out, imageId.getBytes(StandardCharsets.UTF_8));
    TilePosition.writeField(out, granteeId);
    return out.toByteArray();
  }
}
