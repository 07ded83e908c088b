package io.prosima.p2p;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: doubling from min to max, each drawn uniformly from [delay/2, delay] so that
 * nodes restarted together do not redial in lockstep. Thread-safe.
 */
final class Backoff {
  private static final int DOUBLINGS_MAX = 30;

  private final long minMs;
  private final long maxMs;
  private final RandomGenerator random;
  private int attempts;

  Backoff(Duration min, Duration max, RandomGenerator random) {
    this.minMs = Math.max(1, min.toMillis());
    this.maxMs = Math.max(minMs, max.toMillis());
    this.random = random;
  }

  synchronized long nextDelayMs() {
    long delay = Math.min(maxMs, minMs << Math.min(attempts, DOUBLINGS_MAX));
    attempts++;
    long half = delay / 2;
    return half + random.nextLong(delay - half + 1);
  }

  /** The largest delay, for messages. */
  long maxMs() {
    return maxMs;
  }

  synchronized void reset() {
    attempts = 0;
  }
}
