package io.prosima.node.ledger;

import io.prosima.proto.v1.RefusalCode;

/** What the ledger components report as they work (metrics listen here). */
public interface LedgerEvents {
  void admitted(int count);

  void refused(RefusalCode code);

  /**
   * A block became durable.
   *
   * @param admittedAtNanos admission time of each committed transaction (0 when unknown)
   */
  void blockCommitted(long startNanos, long endNanos, long[] admittedAtNanos);

  LedgerEvents NONE =
      new LedgerEvents() {
        @Override
        public void admitted(int count) {}

        @Override
        public void refused(RefusalCode code) {}

        @Override
        public void blockCommitted(long startNanos, long endNanos, long[] admittedAtNanos) {}
      };
}
