package io.prosima.node.image;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.prosima.node.client.NodeClient;
import io.prosima.node.client.TxProofVerifier;
import io.prosima.node.client.TxSigner;
import io.prosima.proto.v1.GetTxRequest;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.StatusRequest;
import io.prosima.proto.v1.SubmitBatchRequest;
import io.prosima.proto.v1.SubmitBatchResponse;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.TxResponse;
import io.prosima.proto.wire.TxCodec;
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

  /** How long a submitted tx may take to commit before the command gives up waiting. */
  public static final long COMMIT_WAIT_MS = 60_000;

  /** Pause between looks for a submitted tx in the chain. */
  static final long COMMIT_POLL_MS = 20;

  /**
   * Signs the payloads in order, submits them as one batch through {@code via} and waits until each
   * is committed. Returns the committed txs (with proofs, checked) or throws naming the first
   * failure.
   *
   * <p>Signing and submitting happen under one process-wide lock: nonces must reach the node in
   * increasing order, and concurrent images of one identity (a directory ingest) would otherwise
   * race. The wait for the commit happens outside the lock, by reading the tx back with its proof.
   */
  public List<TxResponse> commit(NodeClient via, List<Payload> payloads) throws TxFailedException {
    List<Transaction> txs = new ArrayList<>();
    try {
      synchronized (ChainTxs.class) {
        long height = via.query().getStatus(StatusRequest.getDefaultInstance()).getHeight();
        SubmitBatchRequest.Builder batch = SubmitBatchRequest.newBuilder();
        for (Payload p : payloads) {
          Transaction tx =
              TxSigner.sign(nodes.chainId(), nodes.key(), nextNonce(), height + EXPIRY_HEIGHTS, p);
          txs.add(tx);
          batch.addTxs(tx);
        }
        SubmitBatchResponse response = via.submit().submitBatch(batch.build());
        for (int i = 0; i < response.getResultsCount(); i++) {
          SubmitResponse r = response.getResults(i);
          if (!r.getAccepted()) {
            throw new TxFailedException(
                kind(payloads.get(i)) + " refused: " + r.getCode() + ": " + r.getMessage());
          }
        }
      }
      List<TxResponse> out = new ArrayList<>();
      long deadline = System.nanoTime() + COMMIT_WAIT_MS * 1_000_000;
      for (int i = 0; i < txs.size(); i++) {
        out.add(awaitCommitted(via, txs.get(i), kind(payloads.get(i)), deadline));
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

  private TxResponse awaitCommitted(NodeClient via, Transaction tx, String kind, long deadline)
      throws TxFailedException {
    ByteString hash = ByteString.copyFrom(TxCodec.hash(tx));
    while (true) {
      try {
        TxResponse r = via.query().getTx(GetTxRequest.newBuilder().setTxHash(hash).build());
        String problem = TxProofVerifier.check(r, nodes.genesis());
        if (problem != null) {
          throw new TxFailedException(
              kind + " committed but its proof does not verify: " + problem);
        }
        return r;
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
          throw e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new TxFailedException(
            kind
                + " tx "
                + HexFormat.of().formatHex(hash.toByteArray())
                + " accepted but not committed within "
                + COMMIT_WAIT_MS
                + " ms (it may still commit, or was refused when its block was built)");
      }
      try {
        Thread.sleep(COMMIT_POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TxFailedException("interrupted while waiting for " + kind + " to commit");
      }
    }
  }

  private static String kind(Payload p) {
    return p.getKindCase().name().toLowerCase(java.util.Locale.ROOT);
  }
}
