package io.prosima.p2p;

/**
 * Units (frames, or bytes) per second from one peer, with a burst of one second's worth. Used from
 * that peer's event loop only, so not thread-safe. Time comes in as nanoseconds so tests can drive
 * it.
 */
final class TokenBucket {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final double ratePerNano;
  private final double capacity;
  private double tokens;
  private long lastNanos;

  TokenBucket(long perSecond, long nowNanos) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("perSecond must be >= 1");
    }
    this.ratePerNano = (double) perSecond / NANOS_PER_SECOND;
    this.capacity = perSecond;
    this.tokens = perSecond;
    this.lastNanos = nowNanos;
  }

  boolean tryTake(long nowNanos) {
    return tryTake(1, nowNanos);
  }

  /** Takes {@code amount} units if that many are there; takes nothing otherwise. */
  boolean tryTake(long amount, long nowNanos) {
    long elapsed = Math.max(0, nowNanos - lastNanos);
    lastNanos = nowNanos;
    tokens = Math.min(capacity, tokens + elapsed * ratePerNano);
    if (tokens >= amount) {
      tokens -= amount;
      return true;
    }
    return false;
  }
}
