package io.prosima.consensus.execution;

/** Read access to committed ledger state as raw key/value bytes (the store implements it). */
@FunctionalInterface
public interface StateReader {
  /** The value stored under {@code key}, or null. */
  byte[] get(byte[] key);
}
