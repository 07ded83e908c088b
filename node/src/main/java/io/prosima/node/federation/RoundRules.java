package io.prosima.node.federation;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The rules of a federated round that every party computes alike from the chain: who aggregates (a
 * rotation over the participants, not a fixed server) and when the round closes (everyone, or a
 * quorum once the deadline height has passed).
 */
public final class RoundRules {
  private RoundRules() {}

  /** What the aggregator does now. */
  public enum Decision {
    /** Not everyone has anchored an update and the deadline has not passed: wait. */
    WAIT,
    /** Aggregate the updates anchored by the deadline. */
    CLOSE,
    /** The deadline passed with fewer than a quorum of updates: the round fails. */
    FAIL
  }

  /**
   * The aggregator of {@code round}: participants sorted by their Ed25519 key bytes (unsigned), the
   * one at index round mod n. Every round passes the work (and the trust) on.
   */
  public static ByteString aggregator(List<ByteString> participants, long round) {
    if (participants.isEmpty() || round < 0) {
      throw new IllegalArgumentException("no participants or a negative round");
    }
    List<ByteString> sorted = new ArrayList<>(participants);
    sorted.sort(Comparator.comparing(ByteString::toByteArray, java.util.Arrays::compareUnsigned));
    return sorted.get((int) (round % sorted.size()));
  }

  /**
   * Quorum and deadline: close at once when every participant's update is in; otherwise wait until
   * {@code height} passes {@code deadlineHeight}, then close with at least {@code quorum} updates
   * or fail. A missing or late participant never blocks the round past its deadline.
   */
  public static Decision decide(
      int onTime, int participants, int quorum, long height, long deadlineHeight) {
    if (quorum < 1 || quorum > participants || onTime < 0 || onTime > participants) {
      throw new IllegalArgumentException("bad quorum or count");
    }
    if (onTime == participants) {
      return Decision.CLOSE;
    }
    if (height <= deadlineHeight) {
      return Decision.WAIT;
    }
    return onTime >= quorum ? Decision.CLOSE : Decision.FAIL;
  }
}
