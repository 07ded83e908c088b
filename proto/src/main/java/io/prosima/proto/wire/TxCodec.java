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

  public static byte[] signingBytes(Transaction tx) {
    return DomainTags.withPrefix(
        DomainTags.TX, Canonical.bytes(tx.toBuilder().clearSignature().build()));
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
