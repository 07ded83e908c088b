package io.prosima.p2p;

import java.util.concurrent.TimeUnit;

/**
 * Which failures to reach one neighbour deserve a warning. A neighbour that is down is dialed again
 * every few seconds; warning each time would flood the log, staying silent would hide a wrong
 * address. So: the first failure, a failure for another reason than the last warned one, and then
 * one a minute while it persists; the rest go to debug. Thread-safe; time is an input.
 */
final class DialWarnings {
  static final long REPEAT_NANOS = TimeUnit.MINUTES.toNanos(1);

  private String warnedReason; // null: no failure since the last success
  private long warnedAtNanos;
  private int failures; // since the last success

  /** A failed attempt: whether to warn about it. */
  synchronized boolean failed(String reason, long nowNanos) {
    failures++;
    if (warnedReason == null
        || !warnedReason.equals(reason)
        || nowNanos - warnedAtNanos >= REPEAT_NANOS) {
      warnedReason = reason;
      warnedAtNanos = nowNanos;
      return true;
    }
    return false;
  }

  /** A successful connection: returns the failures before it (0 when there were none). */
  synchronized int succeeded() {
    int f = failures;
    failures = 0;
    warnedReason = null;
    return f;
  }
}
