package io.prosima.consensus.bft;

/**
 * Timeouts of the core. Each timeout grows linearly with the round (timeout = base + round ·
 * delta), the paper's requirement for eventual liveness under partial synchrony: after GST some
 * round's timeouts exceed the real message delay. All values are milliseconds.
 */
public record BftConfig(
    String chainId,
    long proposeBaseMs,
    long proposeDeltaMs,
    long prevoteBaseMs,
    long prevoteDeltaMs,
    long precommitBaseMs,
    long precommitDeltaMs,
    long timeoutMsMax) {

  public static final long DEFAULT_PROPOSE_BASE_MS = 300;
  public static final long DEFAULT_PROPOSE_DELTA_MS = 50;
  public static final long DEFAULT_PREVOTE_BASE_MS = 100;
  public static final long DEFAULT_PREVOTE_DELTA_MS = 50;
  public static final long DEFAULT_PRECOMMIT_BASE_MS = 100;
  public static final long DEFAULT_PRECOMMIT_DELTA_MS = 50;
  public static final long DEFAULT_TIMEOUT_MS_MAX = 60_000;

  public BftConfig {
    if (chainId == null || chainId.isEmpty()) {
      throw new IllegalArgumentException("chainId must not be empty");
    }
    long[] all = {
      proposeBaseMs,
      proposeDeltaMs,
      prevoteBaseMs,
      prevoteDeltaMs,
      precommitBaseMs,
      precommitDeltaMs
    };
    for (long v : all) {
      if (v < 0) {
        throw new IllegalArgumentException("timeouts must not be negative");
      }
    }
    if (proposeBaseMs == 0 || prevoteBaseMs == 0 || precommitBaseMs == 0) {
      throw new IllegalArgumentException("base timeouts must be positive");
    }
    if (timeoutMsMax < Math.max(proposeBaseMs, Math.max(prevoteBaseMs, precommitBaseMs))) {
      throw new IllegalArgumentException("timeoutMsMax must be at least every base timeout");
    }
  }

  public static BftConfig defaults(String chainId) {
    return new BftConfig(
        chainId,
        DEFAULT_PROPOSE_BASE_MS,
        DEFAULT_PROPOSE_DELTA_MS,
        DEFAULT_PREVOTE_BASE_MS,
        DEFAULT_PREVOTE_DELTA_MS,
        DEFAULT_PRECOMMIT_BASE_MS,
        DEFAULT_PRECOMMIT_DELTA_MS,
        DEFAULT_TIMEOUT_MS_MAX);
  }

  /** timeoutPropose/Prevote/Precommit(round) = base + round · delta, capped at timeoutMsMax. */
  public long timeoutMs(Step step, int round) {
    if (round < 0) {
      throw new IllegalArgumentException("round must not be negative: " + round);
    }
    long base;
    long delta;
    switch (step) {
      case PROPOSE -> {
        base = proposeBaseMs;
        delta = proposeDeltaMs;
      }
      case PREVOTE -> {
        base = prevoteBaseMs;
        delta = prevoteDeltaMs;
      }
      default -> {
        base = precommitBaseMs;
        delta = precommitDeltaMs;
      }
    }
    // round < 2^31 and delta <= timeoutMsMax keep this far from overflow only when delta is small;
    // saturate instead of trusting that.
    if (delta != 0 && round > (timeoutMsMax - base) / delta) {
      return timeoutMsMax;
    }
    return Math.min(timeoutMsMax, base + round * delta);
  }
}
