package io.prosima.node.image;

import io.grpc.StatusRuntimeException;
import io.prosima.node.client.BusyRefusals;
import io.prosima.node.client.NodeClient;
import io.prosima.node.client.TxSigner;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.StatusRequest;
import io.prosima.proto.v1.SubmitBatchRequest;
import io.prosima.proto.v1.SubmitBatchResponse;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One identity's transactions, committed in groups: a single thread takes every request waiting,
 * signs their payloads with strictly increasing nonces, submits them as one batch that waits for
 * the commit, and answers each request; then it takes the next group. One batch in flight keeps the
 * nonces reaching the node in order (concurrent batches of one signer would race), and grouping
 * keeps throughput from being bounded by one commit per image.
 */
final class GroupCommitter implements AutoCloseable {
  /** Transactions per batch at most (the node accepts up to 10,000). */
  static final int BATCH_TXS_MAX = 2_000;

  /** A tx not committed within this many heights of signing expires instead of lingering. */
  static final long EXPIRY_HEIGHTS = 1_000;

  /** Pauses before sending again what a busy node refused: doubling from the first to the last. */
  static final long BUSY_PAUSE_MS_MIN = 50;

  static final long BUSY_PAUSE_MS_MAX = 2_000;

  /** The node's own wait for a commit is the bound; this one only stops a hung call. */
  static final long CALL_DEADLINE_MS = 120_000;

  private record Request(
      NodeClient via, List<Payload> payloads, CompletableFuture<List<SubmitResponse>> done) {}

  private final ChainNodes nodes;
  private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closed;

  GroupCommitter(ChainNodes nodes) {
    this.nodes = nodes;
    this.thread = new Thread(this::loop, "group-commit-" + nodes.key().getName());
    thread.setDaemon(true);
    thread.start();
  }

  CompletableFuture<List<SubmitResponse>> submit(NodeClient via, List<Payload> payloads) {
    CompletableFuture<List<SubmitResponse>> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new IllegalStateException("committer is closed"));
      return done;
    }
    queue.add(new Request(via, List.copyOf(payloads), done));
    return done;
  }

  private void loop() {
    while (!closed) {
      Request first;
      try {
        first = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (first == null) {
        continue;
      }
      // The group: the first request and every waiting one for the same node, up to the cap.
      List<Request> group = new ArrayList<>(List.of(first));
      int txs = first.payloads().size();
      List<Request> later = new ArrayList<>();
      Request next;
      while ((next = queue.poll()) != null) {
        if (next.via() == first.via() && txs + next.payloads().size() <= BATCH_TXS_MAX) {
          group.add(next);
          txs += next.payloads().size();
        } else {
          later.add(next);
        }
      }
      // Requests for another node (or past the cap) go first in the next round, in order.
      List<Request> rest = new ArrayList<>(later);
      queue.drainTo(rest);
      queue.addAll(rest);
      send(first.via(), group);
    }
  }

  private void send(NodeClient via, List<Request> group) {
    try {
      long height = via.query().getStatus(StatusRequest.getDefaultInstance()).getHeight();
      SubmitBatchRequest.Builder batch = SubmitBatchRequest.newBuilder().setWaitForCommit(true);
      for (Request r : group) {
        for (Payload p : r.payloads()) {
          batch.addTxs(
              TxSigner.sign(
                  nodes.chainId(), nodes.key(), ChainTxs.nextNonce(), height + EXPIRY_HEIGHTS, p));
        }
      }
      List<SubmitResponse> response = submitWhileBusy(via, batch.build().getTxsList());
      int at = 0;
      for (Request r : group) {
        List<SubmitResponse> mine = response.subList(at, at + r.payloads().size());
        at += r.payloads().size();
        r.done().complete(mine);
      }
    } catch (StatusRuntimeException | IndexOutOfBoundsException e) {
      group.forEach(r -> r.done().completeExceptionally(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      group.forEach(r -> r.done().completeExceptionally(e));
    }
  }

  /**
   * Submits the signed txs and waits for their commit. A busy node admits a prefix of a batch and
   * refuses the rest as {@code REFUSAL_MEMPOOL_FULL}; the rest (same signatures, nonces still in
   * order) is sent again after a pause, for as long as the call deadline allows.
   */
  static List<SubmitResponse> submitWhileBusy(NodeClient via, List<Transaction> txs)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CALL_DEADLINE_MS);
    List<SubmitResponse> results = new ArrayList<>(txs.size());
    long pauseMs = BUSY_PAUSE_MS_MIN;
    while (true) {
      List<Transaction> rest = txs.subList(results.size(), txs.size());
      long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      SubmitBatchResponse response =
          via.submit()
              .withDeadlineAfter(Math.max(1, leftMs), TimeUnit.MILLISECONDS)
              .submitBatch(
                  SubmitBatchRequest.newBuilder().addAllTxs(rest).setWaitForCommit(true).build());
      int busyAt = BusyRefusals.firstBusy(response.getResultsList());
      if (busyAt < 0 || System.nanoTime() + pauseMs * 1_000_000 - deadline > 0) {
        results.addAll(response.getResultsList());
        return results;
      }
      results.addAll(response.getResultsList().subList(0, busyAt));
      Thread.sleep(pauseMs);
      pauseMs = Math.min(BUSY_PAUSE_MS_MAX, pauseMs * 2);
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    Request r;
    while ((r = queue.poll()) != null) {
      r.done().completeExceptionally(new IllegalStateException("committer closed"));
    }
  }
}
