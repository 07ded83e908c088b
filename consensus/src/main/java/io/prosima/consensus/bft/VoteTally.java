package io.prosima.consensus.bft;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.Vote;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Votes of one type in one round: the first vote of each validator counts; a second, different one
 * is equivocation and is returned to the caller, not counted.
 */
final class VoteTally {
  /** First vote per validator, in arrival order. */
  private final Map<ByteString, Vote> byValidator = new LinkedHashMap<>();

  private final Map<ByteString, Long> weightByBlock = new HashMap<>();
  private long anyWeight;

  enum Outcome {
    ADDED,
    DUPLICATE,
    CONFLICT
  }

  Outcome add(Vote vote, long weight) {
    Vote first = byValidator.get(vote.getValidator());
    if (first != null) {
      return first.getBlockId().equals(vote.getBlockId()) ? Outcome.DUPLICATE : Outcome.CONFLICT;
    }
    byValidator.put(vote.getValidator(), vote);
    weightByBlock.merge(vote.getBlockId(), weight, Long::sum);
    anyWeight += weight;
    return Outcome.ADDED;
  }

  Vote first(ByteString validator) {
    return byValidator.get(validator);
  }

  /** Weight behind {@code blockId}; the empty id is nil. */
  long weightFor(ByteString blockId) {
    return weightByBlock.getOrDefault(blockId, 0L);
  }

  long anyWeight() {
    return anyWeight;
  }

  Iterable<Vote> votes() {
    return byValidator.values();
  }
}
