package io.prosima.testnet.sim;

import com.google.protobuf.ByteString;
import io.prosima.node.bench.AnchorTxFactory;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.wire.TxCodec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The simulated clients: the genesis hospitals, each anchoring images (real ~2 KB ImageAnchor
 * transactions, as the ingest pipeline sends) with a strictly increasing nonce. A transaction that
 * reaches a proposer after a later one of the same client is refused by the ledger's nonce rule, as
 * it would be for a real client; the checkers only ask that what commits was submitted.
 */
final class SimClients {
  /** Every simulated transaction may be included up to this height (within the genesis window). */
  static final long TX_EXPIRY_HEIGHT = 5_000;

  /** Forged transactions (sabotage only) use nonces from here, which no client reaches. */
  static final long FORGED_NONCE_BASE = 1L << 40;

  private final String chainId;
  private final List<KeyFile> keys;
  private final long[] nonces;
  private final Set<ByteString> signers = new HashSet<>();

  SimClients(String chainId, List<KeyFile> keys) {
    this.chainId = chainId;
    this.keys = keys;
    this.nonces = new long[keys.size()];
    for (KeyFile k : keys) {
      signers.add(k.getEd25519PublicKey());
    }
  }

  /** The identities allowed to sign client transactions. */
  Set<ByteString> signers() {
    return signers;
  }

  /** The next transaction of a random client. */
  Transaction next(SplittableRandom rng) {
    int c = rng.nextInt(keys.size());
    nonces[c]++;
    if (nonces[c] >= FORGED_NONCE_BASE) {
      throw new IllegalStateException("client nonce reached the forged range");
    }
    return make(c, nonces[c], "sim-" + c + "-" + nonces[c]);
  }

  /**
   * A well-formed, signed transaction that no client submitted (for {@link
   * Sabotage#INJECT_UNSUBMITTED_TX}); distinct per {@code salt}.
   */
  Transaction forge(long salt) {
    return make(0, FORGED_NONCE_BASE + salt, "forged-" + salt);
  }

  private Transaction make(int client, long nonce, String imageId) {
    KeyFile key = keys.get(client);
    Transaction tx =
        Transaction.newBuilder()
            .setChainId(chainId)
            .setSigner(key.getEd25519PublicKey())
            .setNonce(nonce)
            .setExpiryHeight(TX_EXPIRY_HEIGHT)
            .setPayload(Payload.newBuilder().setImageAnchor(AnchorTxFactory.anchor(imageId)))
            .build();
    return TxCodec.sign(
        tx, key.getEd25519PrivateKey().toByteArray(), key.getEd25519PublicKey().toByteArray());
  }
}
