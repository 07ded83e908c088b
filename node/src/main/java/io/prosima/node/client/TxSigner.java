package io.prosima.node.client;

import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.wire.TxCodec;

/** Wraps a payload in a transaction envelope and signs it with an identity's key. */
public final class TxSigner {
  private TxSigner() {}

  public static Transaction sign(
      String chainId, KeyFile key, long nonce, long expiryHeight, Payload payload) {
    Transaction tx =
        Transaction.newBuilder()
            .setChainId(chainId)
            .setSigner(key.getEd25519PublicKey())
            .setNonce(nonce)
            .setExpiryHeight(expiryHeight)
            .setPayload(payload)
            .build();
    return TxCodec.sign(
        tx, key.getEd25519PrivateKey().toByteArray(), key.getEd25519PublicKey().toByteArray());
  }
}
