package io.prosima.node.ledger;

import com.google.protobuf.ByteString;
import io.prosima.consensus.execution.Refusal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells waiting clients what happened to their transactions, and block streams that a new height
 * exists. A waiter is registered before its transaction is admitted, so no commit can slip past.
 */
public final class CommitHub {
  private final ConcurrentHashMap<ByteString, CompletableFuture<TxOutcome>> waiters =
      new ConcurrentHashMap<>();
  private final Object heightMonitor = new Object();
  private long height;

  public CommitHub(long startHeight) {
    this.height = startHeight;
  }

  public CompletableFuture<TxOutcome> register(byte[] txHash) {
    return waiters.computeIfAbsent(ByteString.copyFrom(txHash), k -> new CompletableFuture<>());
  }

  public void unregister(byte[] txHash) {
    waiters.remove(ByteString.copyFrom(txHash));
  }

  void committed(long blockHeight, List<byte[]> applied) {
    for (byte[] hash : applied) {
      CompletableFuture<TxOutcome> f = waiters.remove(ByteString.copyFrom(hash));
      if (f != null) {
        f.complete(TxOutcome.committed(blockHeight));
      }
    }
    synchronized (heightMonitor) {
      height = blockHeight;
      heightMonitor.notifyAll();
    }
  }

  void refused(byte[] txHash, Refusal refusal) {
    CompletableFuture<TxOutcome> f = waiters.remove(ByteString.copyFrom(txHash));
    if (f != null) {
      f.complete(TxOutcome.refused(refusal));
    }
  }

  /** Waits until the chain reaches {@code target} or the timeout passes; returns the height. */
  public long awaitHeight(long target, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    synchronized (heightMonitor) {
      while (height < target) {
        long leftMs = (deadline - System.nanoTime()) / 1_000_000;
        if (leftMs <= 0) {
          break;
        }
        heightMonitor.wait(leftMs);
      }
      return height;
    }
  }

  public int waiting() {
    return waiters.size();
  }
}
