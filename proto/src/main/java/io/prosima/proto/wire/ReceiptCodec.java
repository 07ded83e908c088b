package io.prosima.proto.wire;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.StorageReceipt;

/**
 * Signing bytes of a validator's storage receipt: "prosima/receipt/v1" || 0x00 || canonical(receipt
 * with signature cleared). An uploader checks each receipt before it anchors.
 */
public final class ReceiptCodec {
  private ReceiptCodec() {}

  public static byte[] signingBytes(StorageReceipt receipt) {
    return DomainTags.withPrefix(
        DomainTags.RECEIPT, Canonical.bytes(receipt.toBuilder().clearSignature().build()));
  }

  /** Returns {@code receipt} signed by the node key pair (the receipt's {@code node} field). */
  public static StorageReceipt sign(StorageReceipt receipt, byte[] privateKey, byte[] publicKey) {
    byte[] sig = Ed25519Keys.sign(privateKey, publicKey, signingBytes(receipt));
    return receipt.toBuilder().setSignature(ByteString.copyFrom(sig)).build();
  }

  /** True when the signature verifies for the receipt's own {@code node} key. */
  public static boolean signatureValid(StorageReceipt receipt) {
    return receipt.getNode().size() == Ed25519Keys.PUBLIC_KEY_BYTES
        && receipt.getSignature().size() == Ed25519Keys.SIGNATURE_BYTES
        && Ed25519Keys.verify(
            receipt.getNode().toByteArray(),
            signingBytes(receipt),
            receipt.getSignature().toByteArray());
  }
}
