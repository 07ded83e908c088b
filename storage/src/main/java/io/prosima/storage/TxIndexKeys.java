package io.prosima.storage;

import io.prosima.proto.v1.Transaction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Keys of the secondary indexes: owner id || 0x00 || u64be(height) || u32be(index). */
final class TxIndexKeys {
  static final int POSITION_BYTES = Long.BYTES + Integer.BYTES;

  private TxIndexKeys() {}

  /** The image id a transaction is about, or null when it names none. */
  static String imageIdOf(Transaction tx) {
    var p = tx.getPayload();
    return switch (p.getKindCase()) {
      case IMAGE_ANCHOR -> p.getImageAnchor().getImageId();
      case RECONSTRUCTION_RECORD -> p.getReconstructionRecord().getImageId();
      case VERIFICATION_RECORD -> p.getVerificationRecord().getImageId();
      case ACCESS_GRANT -> p.getAccessGrant().getImageId();
      case ACCESS_REVOKE -> p.getAccessRevoke().getImageId();
      case ACCESS_LOG -> p.getAccessLog().getImageId();
      case IMAGE_REKEY -> p.getImageRekey().getImageId();
      case MODEL_ANCHOR, IDENTITY_REGISTRATION, EQUIVOCATION_EVIDENCE, KIND_NOT_SET -> null;
    };
  }

  static byte[] prefix(byte[] owner) {
    byte[] out = new byte[owner.length + 1];
    System.arraycopy(owner, 0, out, 0, owner.length);
    return out;
  }

  static byte[] imagePrefix(String imageId) {
    return prefix(imageId.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] key(byte[] prefix, long height, int index) {
    return ByteBuffer.allocate(prefix.length + POSITION_BYTES)
        .put(prefix)
        .putLong(height)
        .putInt(index)
        .array();
  }
}
