package io.prosima.consensus.bft;

import io.prosima.proto.v1.Proposal;
import io.prosima.proto.v1.Vote;
import io.prosima.proto.v1.VoteType;

/**
 * What this validator last signed, kept in the WAL so that a restarted validator never signs two
 * different messages for one (height, round, type). Each field is null until the first message of
 * its kind. {@code lockPrecommit} is the last non-nil precommit: it restores lockedValue and
 * lockedRound (lines 38–39) after a restart, which the paper's safety argument needs as much as the
 * double-sign guard.
 */
public record SignedVoteRecord(
    Proposal lastProposal, Vote lastPrevote, Vote lastPrecommit, Vote lockPrecommit) {

  public static final SignedVoteRecord EMPTY = new SignedVoteRecord(null, null, null, null);

  Vote last(VoteType type) {
    return type == VoteType.VOTE_TYPE_PREVOTE ? lastPrevote : lastPrecommit;
  }

  SignedVoteRecord withVote(Vote vote) {
    if (vote.getType() == VoteType.VOTE_TYPE_PREVOTE) {
      return new SignedVoteRecord(lastProposal, vote, lastPrecommit, lockPrecommit);
    }
    Vote lock = vote.getBlockId().isEmpty() ? lockPrecommit : vote;
    return new SignedVoteRecord(lastProposal, lastPrevote, vote, lock);
  }

  SignedVoteRecord withProposal(Proposal proposal) {
    return new SignedVoteRecord(proposal, lastPrevote, lastPrecommit, lockPrecommit);
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
