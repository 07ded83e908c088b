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
}
