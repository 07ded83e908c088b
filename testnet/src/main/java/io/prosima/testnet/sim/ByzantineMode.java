package io.prosima.testnet.sim;

/**
 * How a Byzantine validator misbehaves. Both modes run it as Twins (Bano et al., "Twins: BFT
 * systems made robust"): two correct core instances share one key and know nothing of each other,
 * so each signs what it sees and together they sign conflicting messages.
 */
public enum ByzantineMode {
  HONEST,
  /**
   * Both twins talk to every node. As proposer each twin builds its own block, so the round has two
   * different signed proposals; their votes then conflict whenever the twins saw different ones.
   */
  EQUIVOCATING_PROPOSER,
  /**
   * Each twin talks to one half of the honest nodes only, so the two halves receive different
   * prevotes and precommits from the same validator (and different proposals).
   */
  DOUBLE_VOTER
}
