package io.prosima.node.ledger;

import io.prosima.consensus.execution.Refusal;

/** What finally happened to an admitted transaction: committed at a height, or refused. */
public record TxOutcome(long height, Refusal refusal) {
  public static TxOutcome committed(long height) {
    return new TxOutcome(height, null);
  }

  public static TxOutcome refused(Refusal refusal) {
    return new TxOutcome(0, refusal);
  }

  public boolean isCommitted() {
    return refusal == null;
  }
}
