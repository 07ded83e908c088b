package io.prosima.testnet.sim;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.AccessLog;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.wire.Ed25519Keys;
import io.prosima.proto.wire.Sha256;
import io.prosima.proto.wire.TxCodec;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The simulated clients: a few fixed Ed25519 identities that sign AccessLog transactions, each with
 * a strictly increasing nonce. Keys depend on the index only, so a seed replays with the same
 * transactions.
 */
final class SimClients {
  static final int CLIENTS = 3;

  /** Every simulated transaction may be included up to this height: far beyond any run. */
  static final long TX_EXPIRY_HEIGHT = 1_000_000;

  /** Forged transactions (sabotage only) use nonces from here, which no client reaches. */
  static final long FORGED_NONCE_BASE = 1L << 40;

  static final int IMAGES = 1_000;

  private final String chainId;
  private final byte[][] privateKeys = new byte[CLIENTS][];
  private final byte[][] publicKeys = new byte[CLIENTS][];
  private final long[] nonces = new long[CLIENTS];
  private final Set<ByteString> signers = new HashSet<>();

  SimClients(String chainId) {
    this.chainId = chainId;
    for (int i = 0; i < CLIENTS; i++) {
      privateKeys[i] = Sha256.hash(("sim-client-" + i).getBytes(StandardCharsets.UTF_8));
      publicKeys[i] = Ed25519Keys.publicKey(privateKeys[i]);
      signers.add(ByteString.copyFrom(publicKeys[i]));
    }
  }

  /** The identities allowed to sign transactions (the simulator's identity registry). */
  Set<ByteString> signers() {
    return signers;
  }

  /** The next transaction of a random client. */
  Transaction next(SplittableRandom rng) {
    int c = rng.nextInt(CLIENTS);
    nonces[c]++;
    if (nonces[c] >= FORGED_NONCE_BASE) {
      throw new IllegalStateException("client nonce reached the forged range");
    }
    return make(
        c, nonces[c], "image-" + rng.nextInt(IMAGES), rng.nextBoolean() ? "read" : "export");
  }

  /**
   * A well-formed, signed transaction that no client submitted (for {@link
   * Sabotage#INJECT_UNSUBMITTED_TX}); distinct per {@code salt}.
   */
  Transaction forge(long salt) {
    return make(0, FORGED_NONCE_BASE + salt, "forged", "export");
  }

  private Transaction make(int client, long nonce, String imageId, String action) {
    Transaction tx =
        Transaction.newBuilder()
            .setChainId(chainId)
            .setSigner(ByteString.copyFrom(publicKeys[client]))
            .setNonce(nonce)
            .setExpiryHeight(TX_EXPIRY_HEIGHT)
            .setPayload(
                Payload.newBuilder()
                    .setAccessLog(AccessLog.newBuilder().setImageId(imageId).setAction(action)))
            .build();
    return TxCodec.sign(tx, privateKeys[client], publicKeys[client]);
  }
}
