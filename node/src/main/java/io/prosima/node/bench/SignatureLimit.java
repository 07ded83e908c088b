package io.prosima.node.bench;

import io.prosima.proto.v1.Transaction;
import io.prosima.proto.wire.Ed25519Keys;
import io.prosima.proto.wire.TxCodec;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * The physical limit next to a throughput figure: how many of these very transactions' Ed25519
 * signatures the cores check per second and nothing else (signing bytes prepared beforehand). A
 * node that verifies each transaction once can admit no more than this.
 */
public final class SignatureLimit {
  private SignatureLimit() {}

  /** Verifications per second on {@code threads} threads over about {@code seconds}. */
  public static double verificationsPerSecond(List<Transaction> txs, int threads, double seconds)
      throws Exception {
    int n = Math.min(txs.size(), 4096);
    byte[][] keys = new byte[n][];
    byte[][] messages = new byte[n][];
    byte[][] signatures = new byte[n][];
    for (int i = 0; i < n; i++) {
      Transaction tx = txs.get(i);
      keys[i] = tx.getSigner().toByteArray();
      messages[i] = TxCodec.signingBytes(tx);
      signatures[i] = tx.getSignature().toByteArray();
    }
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      AtomicLong checked = new AtomicLong();
      // One untimed pass so the JIT has compiled the verifier.
      runPass(pool, keys, messages, signatures, checked);
      checked.set(0);
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      while (System.nanoTime() < end) {
        runPass(pool, keys, messages, signatures, checked);
      }
      return checked.get() / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdown();
    }
  }

  private static void runPass(
      ForkJoinPool pool, byte[][] keys, byte[][] messages, byte[][] signatures, AtomicLong checked)
      throws Exception {
    pool.submit(
            () ->
                IntStream.range(0, keys.length)
                    .parallel()
                    .forEach(
                        i -> {
                          if (!Ed25519Keys.verify(keys[i], messages[i], signatures[i])) {
                            throw new IllegalStateException(
                                "a benchmark signature does not verify");
                          }
                        }))
        .get();
    checked.addAndGet(keys.length);
  }
}
