package io.prosima.proto.wire;

import io.prosima.proto.v1.Transaction;

/**
 * Signing bytes and hashes of transactions.
 *
 * <p>Signing bytes = "prosima/tx/v1" || 0x00 || canonical(tx with signature cleared). Tx hash =
 * SHA-256(canonical(tx)), signature included.
 */
public final class TxCodec {
  private TxCodec() {}

  // Fixed for the tx tag; computed once rather than per transaction.
  private static final byte[] TX_PREFIX = DomainTags.prefix(DomainTags.TX);

  public static byte[] signingBytes(Transaction tx) {
    if (tx.getSignature().isEmpty() || !tx.getUnknownFields().asMap().isEmpty()) {
      return DomainTags.withPrefix(
          DomainTags.TX, Canonical.bytes(tx.toBuilder().clearSignature().build()));
    }
    // Deterministic serialization writes fields in number order and unknown fields last (there
    // are none at the top level here), so the signature (field 6, the highest) is the encoding's
    // tail: dropping it gives canonical(tx with signature cleared) without copying the message,
    // which for a 16-tile anchor cost more than the serialization itself.
    byte[] full = Canonical.bytes(tx);
    int signatureField =
        com.google.protobuf.CodedOutputStream.computeBytesSize(
            Transaction.SIGNATURE_FIELD_NUMBER, tx.getSignature());
    int bodyLength = full.length - signatureField;
    byte[] out = new byte[TX_PREFIX.length + bodyLength];
    System.arraycopy(TX_PREFIX, 0, out, 0, TX_PREFIX.length);
    System.arraycopy(full, 0, out, TX_PREFIX.length, bodyLength);
    return out;
  }

  public static byte[] hash(Transaction tx) {
    return Sha256.hash(Canonical.bytes(tx));
  }

  /** Returns {@code tx} with its signature set by the given key pair. */
  public static Transaction sign(Transaction tx, byte[] privateKey, byte[] publicKey) {
    byte[] sig = Ed25519Keys.sign(privateKey, publicKey, signingBytes(tx));
    return tx.toBuilder().setSignature(com.google.protobuf.ByteString.copyFrom(sig)).build();
  }

  public static boolean signatureValid(Transaction tx) {
    return Ed25519Keys.verify(
        tx.getSigner().toByteArray(), signingBytes(tx), tx.getSignature().toByteArray());
  }
}
