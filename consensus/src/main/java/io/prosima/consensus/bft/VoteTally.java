package io.prosima.consensus.bft;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.Vote;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Votes of one type in one round. A validator counts at most once towards each block id and once
 * towards "any" (lines 34, 47, 55). An equivocating validator's second, different vote is reported
 * and still counts towards its own block id: that is safe (two > 2/3 quorums for different ids
 * would still need an honest validator in both) and needed for liveness, since otherwise honest
 * nodes that heard the two votes in different orders could never agree on a quorum that includes
 * them (the 2f+1 prevotes that justify a proposal's validRound, line 28).
 */
final class VoteTally {
  /**
   * Distinct votes kept per validator: the two sides of one equivocation plus nil. Further votes
   * are dropped, which bounds the memory a Byzantine validator can take.
   */
  static final int VOTES_PER_VALIDATOR_MAX = 3;

  /** Votes per validator, first one first, in arrival order of validators. */
  private final Map<ByteString, List<Vote>> byValidator = new LinkedHashMap<>();

  private final Map<ByteString, Long> weightByBlock = new HashMap<>();
  private long anyWeight;

  enum Outcome {
    ADDED,
    DUPLICATE,
    CONFLICT,
    TOO_MANY
  }

  Outcome add(Vote vote, long weight) {
    List<Vote> votes = byValidator.get(vote.getValidator());
    if (votes == null) {
      votes = new ArrayList<>(1);
      byValidator.put(vote.getValidator(), votes);
      anyWeight += weight;
    } else {
      for (Vote v : votes) {
        if (v.getBlockId().equals(vote.getBlockId())) {
          return Outcome.DUPLICATE;
        }
      }
      if (votes.size() >= VOTES_PER_VALIDATOR_MAX) {
        return Outcome.TOO_MANY;
      }
    }
    votes.add(vote);
    weightByBlock.merge(vote.getBlockId(), weight, Long::sum);
    return votes.size() == 1 ? Outcome.ADDED : Outcome.CONFLICT;
  }

  /** The validator's first vote, or null. */
  Vote first(ByteString validator) {
    List<Vote> votes = byValidator.get(validator);
    return votes == null ? null : votes.get(0);
  }

  /** The validator's vote for {@code blockId}, or null. */
  Vote voteFor(ByteString validator, ByteString blockId) {
    List<Vote> votes = byValidator.get(validator);
    if (votes != null) {
      for (Vote v : votes) {
        if (v.getBlockId().equals(blockId)) {
          return v;
        }
      }
    }
    return null;
  }

  /** Weight behind {@code blockId}; the empty id is nil. */
  long weightFor(ByteString blockId) {
    return weightByBlock.getOrDefault(blockId, 0L);
  }

  long anyWeight() {
    return anyWeight;
  }

  /** Every vote for {@code blockId}. */
  List<Vote> votesFor(ByteString blockId) {
    List<Vote> out = new ArrayList<>();
    for (List<Vote> votes : byValidator.values()) {
      for (Vote v : votes) {
        if (v.getBlockId().equals(blockId)) {
          out.add(v);
        }
      }
    }
    return out;
  }
}
