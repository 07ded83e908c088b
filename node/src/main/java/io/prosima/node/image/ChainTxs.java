package io.prosima.node.image;

import io.grpc.StatusRuntimeException;
import io.prosima.node.client.NodeClient;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.SubmitResponse;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Commits an identity's transactions (through its {@link GroupCommitter}). Nonces are microseconds
 * since the epoch (they only grow, across runs too), made strictly increasing within this process.
 */
public final class ChainTxs {
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
   * Signs the payloads in order and commits them, grouped with whatever else this identity is
   * committing at the moment ({@link GroupCommitter}). Returns one committed response per payload
   * or throws naming the first failure.
   */
  public List<SubmitResponse> commit(NodeClient via, List<Payload> payloads)
      throws TxFailedException {
    List<SubmitResponse> results;
    try {
      results = nodes.committer().submit(via, payloads).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TxFailedException("interrupted while committing");
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof StatusRuntimeException s) {
        throw new TxFailedException(
            "node refused the call: "
                + s.getStatus().getCode()
                + " "
                + String.valueOf(s.getStatus().getDescription()));
      }
      throw new TxFailedException("commit failed: " + c);
    }
    for (int i = 0; i < results.size(); i++) {
      SubmitResponse r = results.get(i);
      String kind = payloads.get(i).getKindCase().name().toLowerCase(java.util.Locale.ROOT);
      if (!r.getAccepted()) {
        throw new TxFailedException(kind + " refused: " + r.getCode() + ": " + r.getMessage());
      }
      if (!r.getCommitted()) {
        throw new TxFailedException(
            kind
                + " tx "
                + HexFormat.of().formatHex(r.getTxHash().toByteArray())
                + " accepted but not committed within the node's wait (it may still commit)");
      }
    }
    return results;
  }
}
