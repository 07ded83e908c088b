package io.prosima.consensus.bft;

/** The step of a round (Algorithm 1, step_p), also naming the timeout that guards it. */
public enum Step {
  PROPOSE,
  PREVOTE,
  PRECOMMIT
}
