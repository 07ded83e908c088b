package io.prosima.consensus.execution;

import io.prosima.proto.v1.Transaction;

/**
 * Verifies a transaction's signature, possibly from a cache of already verified hashes: mempool
 * admission verifies once, block execution must not pay again (PERF-NOTES.md).
 */
@FunctionalInterface
public interface SignatureCheck {
  boolean valid(Transaction tx, byte[] txHash);

  SignatureCheck ALWAYS_VERIFY = (tx, hash) -> TxRules.checkSignature(tx) == null;
}
