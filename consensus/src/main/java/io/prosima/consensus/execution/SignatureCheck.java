package io.prosima.consensus.execution;

import io.prosima.proto.v1.Transaction;

/**
 * Tells the executor which transactions already passed the stateless checks and signature
 * verification (at mempool admission, against the same genesis), so block execution does not pay
 * for them twice (PERF-NOTES.md). Anything not pre-verified is checked in full.
 */
@FunctionalInterface
public interface SignatureCheck {
  boolean preVerified(Transaction tx, byte[] txHash);

  /** Checks everything: for blocks from elsewhere and for tests. */
  SignatureCheck NONE_PREVERIFIED = (tx, hash) -> false;
}
