package io.prosima.consensus.bft;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Weighted round-robin proposer: proposer(height, round) = slot[(height + round) mod W], where W is
 * the total weight and the W slots are laid out by smooth weighted round robin (the priority
 * algorithm of Tendermint's proposer selection, started from zero priorities, without its
 * re-centring, which a fixed set does not need): each step every validator gains its weight in
 * priority, the highest priority (ties: earlier in genesis order) proposes and loses W. After W
 * steps every priority is back at zero, so the schedule is periodic and every validator proposes
 * exactly weight times per period, spread evenly. Deterministic from (height, round) and weights.
 */
public final class ProposerSchedule {
  /** Bounds the precomputed period (one reference per unit of weight). */
  public static final long TOTAL_WEIGHT_MAX = 1_000_000;

  private final List<ByteString> slots;

  public ProposerSchedule(Map<ByteString, Long> weights) {
    List<ByteString> keys = new ArrayList<>(weights.keySet());
    long total = 0;
    for (ByteString k : keys) {
      long w = weights.get(k);
      if (w <= 0) {
        throw new IllegalArgumentException("validator weight must be positive, got " + w);
      }
      total += w;
    }
    if (keys.isEmpty() || total > TOTAL_WEIGHT_MAX) {
      throw new IllegalArgumentException(
          "total weight must be in 1.." + TOTAL_WEIGHT_MAX + ", got " + total);
    }
    long[] priority = new long[keys.size()];
    List<ByteString> out = new ArrayList<>((int) total);
    for (long step = 0; step < total; step++) {
      int best = 0;
      for (int i = 0; i < keys.size(); i++) {
        priority[i] += weights.get(keys.get(i));
        if (priority[i] > priority[best]) {
          best = i;
        }
      }
      priority[best] -= total;
      out.add(keys.get(best));
    }
    for (long p : priority) {
      if (p != 0) {
        throw new IllegalStateException("smooth round robin did not return to zero priorities");
      }
    }
    this.slots = Collections.unmodifiableList(out);
  }

  public ByteString proposer(long height, int round) {
    if (height < 1 || round < 0) {
      throw new IllegalArgumentException("height must be >= 1 and round >= 0");
    }
    long n = slots.size();
    return slots.get((int) (((height % n) + (round % n)) % n));
  }

  /** Length of one period (the total weight). */
  public int period() {
    return slots.size();
  }
}
