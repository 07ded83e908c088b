package io.prosima.node.image;

import io.grpc.StatusRuntimeException;
import io.prosima.node.client.NodeClient;
import io.prosima.node.client.TxSigner;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.StatusRequest;
import io.prosima.proto.v1.SubmitBatchRequest;
import io.prosima.proto.v1.SubmitBatchResponse;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.Transaction;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Signs and commits an identity's transactions: nonces are microseconds since the epoch (they only
 * grow, across runs too), made strictly increasing within this process; expiry is a fixed number of
 * heights above the chain's height.
 */
public final class ChainTxs {
  /** A tx not committed within this many heights of signing expires instead of lingering. */
  public static final long EXPIRY_HEIGHTS = 1_000;

  private static final AtomicLong lastNonce = new AtomicLong();

  private final ChainNodes nodes;

  public ChainTxs(ChainNodes nodes) {
    this.nodes = nodes;
  }

  /** Refused or not committed in time: the message says which and why. */
  public static final class TxFailedException extends java.io.IOException {
    public TxFailedException(String message) {
      super(message);
    }
  }

  static long nextNonce() {
    long now = System.currentTimeMillis() * 1000;
    return lastNonce.updateAndGet(last -> Math.max(last + 1, now));
  }

  /**
   * Signs the payloads in order and submits them as one batch through {@code via}, waiting for
   * their commit. Returns the responses (all committed) or throws naming the first failure.
   */
  public List<SubmitResponse> commit(NodeClient via, List<Payload> payloads)
      throws TxFailedException {
    try {
      long height = via.query().getStatus(StatusRequest.getDefaultInstance()).getHeight();
      SubmitBatchRequest.Builder batch = SubmitBatchRequest.newBuilder().setWaitForCommit(true);
      List<Transaction> txs = new ArrayList<>();
      for (Payload p : payloads) {
        Transaction tx =
            TxSigner.sign(nodes.chainId(), nodes.key(), nextNonce(), height + EXPIRY_HEIGHTS, p);
        txs.add(tx);
        batch.addTxs(tx);
      }
      SubmitBatchResponse response = via.submit().submitBatch(batch.build());
      List<SubmitResponse> out = new ArrayList<>();
      for (int i = 0; i < response.getResultsCount(); i++) {
        SubmitResponse r = response.getResults(i);
        String kind = payloads.get(i).getKindCase().name().toLowerCase(java.util.Locale.ROOT);
        if (!r.getAccepted()) {
          throw new TxFailedException(kind + " refused: " + r.getCode() + ": " + r.getMessage());
        }
        if (!r.getCommitted()) {
          throw new TxFailedException(
              kind
                  + " tx "
                  + HexFormat.of().formatHex(r.getTxHash().toByteArray())
                  + " accepted but not committed in time (it may still commit)");
        }
        out.add(r);
      }
      return out;
    } catch (StatusRuntimeException e) {
      throw new TxFailedException(
          "node refused the call: "
              + e.getStatus().getCode()
              + " "
              + String.valueOf(e.getStatus().getDescription()));
    }
  }
}
