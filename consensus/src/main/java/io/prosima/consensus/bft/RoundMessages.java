package io.prosima.consensus.bft;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.Proposal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The message log of one round of the current height. */
final class RoundMessages {
  /**
   * Distinct signed proposals kept per round. One is honest; the second lets a node that saw an
   * equivocating proposer's other block still decide it when the quorum precommits it (line 49).
   */
  static final int PROPOSALS_PER_ROUND_MAX = 2;

  /** Proposals from the scheduled proposer, first one first (the one lines 22/28 act on). */
  final List<Proposal> proposals = new ArrayList<>();

  /** Block id of each proposal, same index. */
  final List<ByteString> proposalIds = new ArrayList<>();

  /**
   * Digest of each proposal's whole block, same index. Two proposals can share a block id (the
   * header) yet differ in body; validity and duplicates are decided on the whole block.
   */
  final List<ByteString> proposalDigests = new ArrayList<>();

  final VoteTally prevotes = new VoteTally();
  final VoteTally precommits = new VoteTally();

  /** Validators heard from in this round, any message (the f+1 rule, line 55). */
  final Set<ByteString> senders = new HashSet<>();

  long senderWeight;

  // "for the first time" flags of lines 34, 36 and 47.
  boolean prevoteTimeoutScheduled;
  boolean lockRuleDone;
  boolean precommitTimeoutScheduled;

  /** Adds a sender; returns true when new. */
  boolean addSender(ByteString validator, long weight) {
    if (senders.add(validator)) {
      senderWeight += weight;
      return true;
    }
    return false;
  }

  /** The proposal whose whole block has {@code digest}, or null. */
  Proposal proposalWithDigest(ByteString digest) {
    for (int i = 0; i < proposals.size(); i++) {
      if (proposalDigests.get(i).equals(digest)) {
        return proposals.get(i);
      }
    }
    return null;
  }
}
