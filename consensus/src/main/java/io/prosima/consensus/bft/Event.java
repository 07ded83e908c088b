package io.prosima.consensus.bft;

import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.CommitCertificate;
import io.prosima.proto.v1.Proposal;
import io.prosima.proto.v1.Vote;

/** Inputs of {@link BftCore#onEvent}. Time enters only through {@link TimeoutFired}. */
public sealed interface Event {
  /** Begin the height the core was constructed with (Algorithm 1 line 10). */
  record Start() implements Event {}

  /**
   * The caller has durably applied the block of {@code height - 1} (the last {@link
   * Action.Commit}); begin {@code height} at round 0 (lines 52–54).
   */
  record NewHeight(long height) implements Event {}

  record ProposalReceived(Proposal proposal) implements Event {}

  record VoteReceived(Vote vote) implements Event {}

  /** A timeout scheduled by {@link Action.ScheduleTimeout} expired (lines 57–67). */
  record TimeoutFired(long height, int round, Step step) implements Event {}

  /** The block to propose, answering {@link Action.RequestProposal} (getValue(), line 16). */
  record BlockReady(long height, int round, Block block) implements Event {}

  /**
   * A block and its certificate learned from a peer (block sync), for a node that missed the
   * precommits of its current height.
   */
  record CommitReceived(Block block, CommitCertificate certificate) implements Event {}
}
