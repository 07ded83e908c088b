package io.prosima.consensus.bft;

import io.prosima.proto.v1.Block;

/**
 * The application's valid(v) of Algorithm 1. The core calls it only for a block of its current
 * height, after the caller has applied every earlier height (the core waits for {@link
 * Event.NewHeight} after each commit), so an implementation may check the block against its own
 * chain tip. Must be pure and deterministic: the same block gives the same answer.
 */
@FunctionalInterface
public interface BlockValidator {
  /** Null when {@code block} is a valid value for its height, otherwise the reason. */
  String check(Block block);

  /**
   * Null when a freshly proposed block is timely by this node's clock, otherwise the reason. Unlike
   * {@link #check} this depends on the local clock, so the core asks it only when it prevotes on a
   * new proposal (validRound -1, line 22) and never caches the answer; a block that a quorum has
   * already prevoted or certified is judged by {@link #check} alone, so a slow local clock can
   * never stop this node from following the chain (the "timely" predicate of proposer-based
   * timestamps).
   */
  default String timely(Block block) {
    return null;
  }
}
