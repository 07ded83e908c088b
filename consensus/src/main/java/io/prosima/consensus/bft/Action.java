package io.prosima.consensus.bft;

import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.CommitCertificate;
import io.prosima.proto.v1.ConsensusMessage;
import io.prosima.proto.v1.Evidence;

/**
 * Outputs of {@link BftCore#onEvent}, to be carried out in list order.
 *
 * <p>Ordering rule (persist before send): every vote or proposal the core signs is preceded in the
 * list by a {@link PersistVote} with the updated {@link SignedVoteRecord}. The caller must make
 * that record durable (fsync) before it performs any later action of the list, in particular the
 * {@link Broadcast} of the signed message; otherwise a crash could lose the record while the vote
 * is already out, and the restarted node could sign a conflicting one.
 */
public sealed interface Action {
  /** Send to every other validator. */
  record Broadcast(ConsensusMessage message) implements Action {}

  /** Durably store the record (WAL, synced) before carrying out any later action. */
  record PersistVote(SignedVoteRecord record) implements Action {}

  /** Deliver {@link Event.TimeoutFired}(height, round, step) after {@code delayMs}. */
  record ScheduleTimeout(long height, int round, Step step, long delayMs) implements Action {}

  /** This node proposes (height, round): answer with {@link Event.BlockReady}. */
  record RequestProposal(long height, int round) implements Action {}

  /**
   * {@code block} is final at {@code height}. Store it with its certificate, then send {@link
   * Event.NewHeight}(height + 1).
   */
  record Commit(long height, Block block, CommitCertificate certificate) implements Action {}

  /** A validator signed two different votes for one height, round and type. */
  record EvidenceFound(Evidence evidence) implements Action {}

  /** Peer input refused; for logging and metrics only. */
  record Dropped(String reason) implements Action {}
}
