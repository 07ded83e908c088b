package io.prosima.testnet.sim;

/**
 * How a Byzantine validator misbehaves. Every mode runs the node's own replica under the
 * validator's key; the modes differ in what reaches the network (see {@link Byzantine}).
 */
public enum ByzantineMode {
  HONEST,
  /**
   * Twins (Bano et al., "Twins: BFT systems made robust"): two honest replicas share one key and
   * know nothing of each other, and both talk to every neighbour. As proposer each twin builds its
   * own block, so a round has two different signed proposals, and their votes conflict.
   */
  EQUIVOCATING_PROPOSER,
  /** Twins, each linked to one half of the validator's overlay neighbours. */
  DOUBLE_VOTER,
  /** Every proposal and vote carries an unknown protobuf field, signed over it. */
  UNKNOWN_FIELDS,
  /** Its proposals carry a block time near 2^64 (unsigned), re-signed. */
  FUTURE_TIME,
  /**
   * Half its neighbours get its proposals with a transaction cut from the body under the authentic
   * header and signature; its sync answers are tampered the same way.
   */
  TAMPERED_BODY,
  /** Its gossip claims honest validators' origins and sequences, and it floods junk under them. */
  FORGED_ORIGIN,
  /** Announces a height far ahead and answers sync requests with nothing. */
  LYING_HEIGHT,
  /** Sends a frame over the transport's limit along with every message. */
  OVERSIZED_FRAMES,
  /** Relays every body at once with one hop left, hoping to cut the honest copies' flood short. */
  CUTS_FLOODS,
  /** Reads nothing its neighbours send (no votes, no sync answers), yet stays connected. */
  NEVER_READS;

  boolean twins() {
    return this == EQUIVOCATING_PROPOSER || this == DOUBLE_VOTER;
  }
}
