package io.prosima.consensus.bft;

import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.Proposal;
import io.prosima.proto.v1.Vote;
import io.prosima.proto.v1.VoteType;
import java.util.List;

/**
 * What this validator last signed, kept in the WAL so that a restarted validator never signs two
 * different messages for one (height, round, type). Each field is null until the first message of
 * its kind. {@code lockPrecommit} is the last non-nil precommit: it restores lockedValue and
 * lockedRound (lines 38–39) after a restart, which the paper's safety argument needs as much as the
 * double-sign guard. {@code lockBlock} and {@code lockPrevotes} (the block and the prevotes that
 * justified the lock) let a restarted validator re-propose the locked block and show its peers why:
 * a lock without them can stall a height for good when the peers missed those prevotes.
 */
public record SignedVoteRecord(
    Proposal lastProposal,
    Vote lastPrevote,
    Vote lastPrecommit,
    Vote lockPrecommit,
    Block lockBlock,
    List<Vote> lockPrevotes) {

  public static final SignedVoteRecord EMPTY =
      new SignedVoteRecord(null, null, null, null, null, List.of());

  public SignedVoteRecord {
    lockPrevotes = List.copyOf(lockPrevotes);
  }

  /** A record without a lock justification (as written before it existed). */
  public SignedVoteRecord(
      Proposal lastProposal, Vote lastPrevote, Vote lastPrecommit, Vote lockPrecommit) {
    this(lastProposal, lastPrevote, lastPrecommit, lockPrecommit, null, List.of());
  }

  Vote last(VoteType type) {
    return type == VoteType.VOTE_TYPE_PREVOTE ? lastPrevote : lastPrecommit;
  }

  SignedVoteRecord withVote(Vote vote) {
    if (vote.getType() == VoteType.VOTE_TYPE_PREVOTE) {
      return new SignedVoteRecord(
          lastProposal, vote, lastPrecommit, lockPrecommit, lockBlock, lockPrevotes);
    }
    if (vote.getBlockId().isEmpty()) {
      return new SignedVoteRecord(
          lastProposal, lastPrevote, vote, lockPrecommit, lockBlock, lockPrevotes);
    }
    // A new lock: its justification comes with withLock, in the same WAL write.
    return new SignedVoteRecord(lastProposal, lastPrevote, vote, vote, null, List.of());
  }

  /** The block and the prevotes that justify {@link #lockPrecommit}. */
  SignedVoteRecord withLock(Block block, List<Vote> prevotes) {
    return new SignedVoteRecord(
        lastProposal, lastPrevote, lastPrecommit, lockPrecommit, block, prevotes);
  }

  SignedVoteRecord withProposal(Proposal proposal) {
    return new SignedVoteRecord(
        proposal, lastPrevote, lastPrecommit, lockPrecommit, lockBlock, lockPrevotes);
  }

  /** Compares (height, round) positions: negative, zero or positive. */
  static int compare(long h1, int r1, long h2, int r2) {
    int c = Long.compare(h1, h2);
    return c != 0 ? c : Integer.compare(r1, r2);
  }

  /** The highest round this record holds a signed message for at {@code height}, or -1. */
  int highestRound(long height) {
    int r = -1;
    if (lastProposal != null && lastProposal.getHeight() == height) {
      r = Math.max(r, lastProposal.getRound());
    }
    if (lastPrevote != null && lastPrevote.getHeight() == height) {
      r = Math.max(r, lastPrevote.getRound());
    }
    if (lastPrecommit != null && lastPrecommit.getHeight() == height) {
      r = Math.max(r, lastPrecommit.getRound());
    }
    return r;
  }
}
