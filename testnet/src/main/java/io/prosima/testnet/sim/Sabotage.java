package io.prosima.testnet.sim;

/** Deliberate breaks of the model, only for tests that show the checkers fail when they should. */
public enum Sabotage {
  NONE,
  /** Allow Byzantine weight of 1/3 or more. */
  BYZANTINE_THIRD_OR_MORE,
  /** Restarted nodes lose their signed-vote record (no WAL), so they may sign twice. */
  FORGET_VOTE_RECORD,
  /**
   * Honest proposers add a well-formed, signed transaction that no client submitted; valid(v)
   * cannot tell, so only the checker's record of submissions catches it.
   */
  INJECT_UNSUBMITTED_TX,
  /**
   * A restarting node's durable chain loses one acknowledged transaction (the block keeps its
   * header, so the block ids, which the block durability check compares, do not change).
   */
  DROP_ACKED_TX_ON_RESTART
}
