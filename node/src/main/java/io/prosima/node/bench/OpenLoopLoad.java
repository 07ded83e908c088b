package io.prosima.node.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.prosima.node.client.NodeClient;
import io.prosima.proto.v1.SubmitBatchRequest;
import io.prosima.proto.v1.SubmitBatchResponse;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.Transaction;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * An open-loop load: batches are due at fixed times whatever the node does, and latency counts from
 * when a batch was due, so a slow node shows as latency instead of a lower offered rate (no
 * coordinated omission). A signer's nonces must reach the node in order, so a signer has at most
 * one batch in flight (wait_for_commit); each due batch goes to the next idle signer. When every
 * signer is busy the batch is not sent and is counted as unsent: the generator says plainly that it
 * could not offer the rate, and more signers are needed.
 */
final class OpenLoopLoad {
  /** What a run measured. */
  record Result(
      long offeredTxs,
      long unsentTxs,
      long committedTxs,
      long refusedTxs,
      double seconds,
      Histogram latencyMicros) {}

  private OpenLoopLoad() {}

  /**
   * @param perSigner each signer's pre-signed transactions, in nonce order
   * @param connections one client per signer, to the node that signer uses
   */
  static Result run(
      List<List<Transaction>> perSigner,
      List<NodeClient> connections,
      int batch,
      double rate,
      int seconds)
      throws InterruptedException {
    int signers = perSigner.size();
    double batchesPerSecond = rate / batch;
    int batches = (int) Math.max(1, Math.round(batchesPerSecond * seconds));
    long periodNanos = (long) (1e9 / batchesPerSecond);
    Histogram latencyMicros = new Histogram(3_600_000_000L, 3);
    AtomicBoolean[] busy = new AtomicBoolean[signers];
    int[] cursor = new int[signers];
    for (int s = 0; s < signers; s++) {
      busy[s] = new AtomicBoolean();
    }
    AtomicLong committed = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    long unsent = 0;
    CountDownLatch inFlight = new CountDownLatch(batches);
    int next = 0;
    long start = System.nanoTime();
    for (int b = 0; b < batches; b++) {
      long due = start + b * periodNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      int s = -1;
      for (int tried = 0; tried < signers; tried++) {
        int candidate = (next + tried) % signers;
        if (cursor[candidate] + batch <= perSigner.get(candidate).size()
            && busy[candidate].compareAndSet(false, true)) {
          s = candidate;
          break;
        }
      }
      if (s < 0) {
        unsent += batch;
        inFlight.countDown();
        continue;
      }
      next = (s + 1) % signers;
      List<Transaction> slice = perSigner.get(s).subList(cursor[s], cursor[s] + batch);
      cursor[s] += batch;
      int signer = s;
      var call =
          connections
              .get(s)
              .submitAsync()
              .submitBatch(
                  SubmitBatchRequest.newBuilder().addAllTxs(slice).setWaitForCommit(true).build());
      Futures.addCallback(
          call,
          new FutureCallback<SubmitBatchResponse>() {
            @Override
            public void onSuccess(SubmitBatchResponse r) {
              long micros = (System.nanoTime() - due) / 1000;
              for (SubmitResponse sr : r.getResultsList()) {
                if (sr.getCommitted()) {
                  synchronized (latencyMicros) {
                    latencyMicros.recordValue(micros);
                  }
                  committed.incrementAndGet();
                } else {
                  refused.incrementAndGet();
                }
              }
              done();
            }

            @Override
            public void onFailure(Throwable t) {
              refused.addAndGet(slice.size());
              done();
            }

            private void done() {
              busy[signer].set(false);
              inFlight.countDown();
            }
          },
          MoreExecutors.directExecutor());
    }
    inFlight.await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    synchronized (latencyMicros) {
      return new Result(
          (long) batches * batch, unsent, committed.get(), refused.get(), elapsed, latencyMicros);
    }
  }
}
