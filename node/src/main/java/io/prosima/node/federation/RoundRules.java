package io.prosima.node.federation;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The rules of a federated round that every party computes alike from the chain: who aggregates (a
 * rotation over the participants, not a fixed server), who may stand in when that participant does
 * not (takeover, by height), and when the round closes (everyone, or a quorum once the deadline
 * height has passed).
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
    return rotation(participants, round).get(0);
  }

  /**
   * Who may aggregate {@code round}, in order of entitlement: participants sorted by key, starting
   * at index round mod n and wrapping around. Position k is takeover step k: step 0 is the round's
   * own aggregator, step k stands in once steps 0..k-1 have had their chance ({@link
   * #entitledAfter}). Every participant holds exactly one step, so a round never runs out of
   * stand-ins while one participant is up.
   */
  public static List<ByteString> rotation(List<ByteString> participants, long round) {
    if (participants.isEmpty() || round < 0) {
      throw new IllegalArgumentException("no participants or a negative round");
    }
    List<ByteString> sorted = new ArrayList<>(participants);
    sorted.sort(Comparator.comparing(ByteString::toByteArray, java.util.Arrays::compareUnsigned));
    int first = (int) (round % sorted.size());
    List<ByteString> out = new ArrayList<>(sorted.subList(first, sorted.size()));
    out.addAll(sorted.subList(0, first));
    return out;
  }

  /** The takeover step of {@code key} in {@code round} (0 = its own aggregator), -1 if none. */
  public static int takeoverStep(List<ByteString> participants, long round, ByteString key) {
    return rotation(participants, round).indexOf(key);
  }

  /**
   * The height after which takeover step {@code step} may anchor the round's next global model (its
   * anchor must commit at a greater height). Step 0, the round's own aggregator, may from the start
   * of the round; step k >= 1 only once the deadline and k takeover periods have passed with no
   * next global anchored: {@code globalHeight + deadlineBlocks + k * takeoverBlocks}. Heights, not
   * clocks, so every party and every auditor computes the same answer from the chain.
   */
  public static long entitledAfter(
      long globalHeight, long deadlineBlocks, long takeoverBlocks, int step) {
    if (globalHeight < 0 || deadlineBlocks < 1 || takeoverBlocks < 1 || step < 0) {
      throw new IllegalArgumentException("bad height, deadline, takeover period or step");
    }
    if (step == 0) {
      return globalHeight;
    }
    try {
      return Math.addExact(
          Math.addExact(globalHeight, deadlineBlocks), Math.multiplyExact(step, takeoverBlocks));
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE; // never: an absurd period must not wrap into an early turn
    }
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
