package io.prosima.testnet.sim;

/** Deliberate breaks of the model, only for tests that show the checkers fail when they should. */
public enum Sabotage {
  NONE,
  /** Allow Byzantine weight of 1/3 or more. */
  BYZANTINE_THIRD_OR_MORE,
  /** Restarted nodes lose their signed-vote record (no WAL), so they may sign twice. */
  FORGET_VOTE_RECORD
}
