package io.prosima.p2p;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.PeerFrame;
import io.prosima.proto.v1.SyncResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides when to ask which neighbour for blocks. No I/O; time comes in as nanoseconds.
 * Thread-safe. The node's {@link P2pNetwork} and the deterministic simulator both use it.
 *
 * <p>Why not simply the neighbour claiming the greatest height: the claim is unsigned, so a liar
 * claiming a huge height would be asked every time and could stall sync by answering nothing.
 * Instead: at most one request outstanding; each neighbour has a score that an empty, malformed or
 * late answer, or blocks the node refused, lower; among neighbours ahead of us the best score is
 * asked, and equal scores take turns. A claim is believed only up to {@code claimLeadMaxHeights}
 * above the best other claim (or our height), so one neighbour cannot make us think we are far
 * behind; the cap moves up as blocks are applied. Blocks handed to the node and not yet applied,
 * plus the answer in flight, stay under {@code heldBytesMax}.
 */
public final class SyncState {
  public static final int BLOCKS_PER_REQUEST_MAX = 64;

  /**
   * Scores stay in [-SCORE_LIMIT, 0]: a good answer earns 1 back up to 0, so a neighbour that
   * mended its ways recovers, and all well-behaved neighbours tie and take turns.
   */
  static final int SCORE_LIMIT = 20;

  /** What a bad or missing answer costs. */
  static final int SCORE_PENALTY = 4;

  public record Request(ByteString peer, long fromHeight, int maxBlocks) {}

  private record Outstanding(ByteString peer, long fromHeight, long sentNanos) {}

  /** An answer handed to the node; it counts as held until applied or stale. */
  private record Held(ByteString peer, long fromHeight, long toHeight, long bytes, long nanos) {}

  private final long requestTimeoutNanos;
  private final long heldBytesMax;
  private final long answerBytesMax;
  private final long claimLeadMaxHeights;
  // Keyed by genesis neighbour key (bounded by the neighbour count); kept across reconnects, so
  // a liar does not start clean by reconnecting.
  private final Map<ByteString, Integer> scores = new HashMap<>();
  // A neighbour that just answered badly (or not at all) is not asked again before this time: a
  // liar claiming a great height would otherwise be asked again the moment its empty answer came,
  // in a loop as fast as the link allows (the simulator found it).
  private final Map<ByteString, Long> benchedUntil = new HashMap<>();
  private final Deque<Held> held = new ArrayDeque<>();
  private Outstanding outstanding;
  private ByteString lastAsked;

  /**
   * @param heldBytesMax bound on bytes of delivered, unapplied blocks plus one answer in flight
   * @param answerBytesMax the largest answer (a frame)
   * @param claimLeadMaxHeights how far a claim may lead the best other claim and still count
   */
  public SyncState(
      long requestTimeoutNanos, long heldBytesMax, long answerBytesMax, long claimLeadMaxHeights) {
    if (requestTimeoutNanos < 1 || answerBytesMax < 1 || claimLeadMaxHeights < 1) {
      throw new IllegalArgumentException("timeout, answer bytes and claim lead must be >= 1");
    }
    if (heldBytesMax < answerBytesMax) {
      throw new IllegalArgumentException("heldBytesMax must hold at least one answer");
    }
    this.requestTimeoutNanos = requestTimeoutNanos;
    this.heldBytesMax = heldBytesMax;
    this.answerBytesMax = answerBytesMax;
    this.claimLeadMaxHeights = claimLeadMaxHeights;
  }

  /** The request to send now, or null when we are not behind, one is outstanding, or no room. */
  public synchronized Request next(
      long ourHeight, Map<ByteString, Long> peerHeights, long nowNanos) {
    if (outstanding != null) {
      if (nowNanos - outstanding.sentNanos < requestTimeoutNanos) {
        return null;
      }
      penalise(outstanding.peer, nowNanos); // late: no answer within the timeout
      outstanding = null;
    }
    long heldBytes = heldBytes(ourHeight, nowNanos);
    if (heldBytes + answerBytesMax > heldBytesMax) {
      return null; // the node has not applied what it holds yet
    }
    long from = ourHeight + 1;
    for (Held h : held) {
      from = Math.max(from, h.toHeight + 1);
    }
    ByteString best = null;
    long bestClaim = 0;
    for (var e : peerHeights.entrySet()) {
      long claim = credibleClaim(e.getKey(), e.getValue(), ourHeight, peerHeights);
      if (claim < from || benched(e.getKey(), nowNanos)) {
        continue;
      }
      if (best == null || better(e.getKey(), best)) {
        best = e.getKey();
        bestClaim = claim;
      }
    }
    if (best == null) {
      return null;
    }
    outstanding = new Outstanding(best, from, nowNanos);
    lastAsked = best;
    int maxBlocks = (int) Math.min(BLOCKS_PER_REQUEST_MAX, bestClaim - from + 1);
    return new Request(best, from, maxBlocks);
  }

  /**
   * A response from {@code peer} of {@code bytes} in all: true if it answers our outstanding
   * request with consecutive blocks from the height we asked (deliver them), false if unsolicited,
   * empty or malformed (drop; the asked neighbour loses score).
   */
  public synchronized boolean accept(
      ByteString peer, List<CommittedBlock> blocks, long bytes, long nowNanos) {
    if (outstanding == null || !outstanding.peer.equals(peer)) {
      return false; // unsolicited, or late (already penalised at the timeout)
    }
    long from = outstanding.fromHeight;
    outstanding = null;
    if (!consecutive(blocks, from)) {
      penalise(peer, nowNanos);
      return false;
    }
    held.addLast(new Held(peer, from, from + blocks.size() - 1, bytes, nowNanos));
    addScore(peer, 1);
    return true;
  }

  /**
   * The node refused the blocks {@code peer} just delivered: it loses score, and they no longer
   * count as held, so the heights are asked for again (of another neighbour, if one is ahead).
   */
  public synchronized void refused(ByteString peer, long nowNanos) {
    held.removeIf(h -> h.peer.equals(peer));
    penalise(peer, nowNanos);
  }

  /** The neighbour disconnected: do not wait for its answer. */
  public synchronized void peerGone(ByteString peer) {
    if (outstanding != null && outstanding.peer.equals(peer)) {
      outstanding = null;
    }
  }

  public synchronized int score(ByteString peer) {
    return scores.getOrDefault(peer, 0);
  }

  private static boolean consecutive(List<CommittedBlock> blocks, long from) {
    if (blocks.isEmpty() || blocks.size() > BLOCKS_PER_REQUEST_MAX) {
      return false;
    }
    for (int i = 0; i < blocks.size(); i++) {
      if (blocks.get(i).getBlock().getHeader().getHeight() != from + i) {
        return false;
      }
    }
    return true;
  }

  /** Forgets answers applied (all heights at or below ours) or stale; sums the rest. */
  private long heldBytes(long ourHeight, long nowNanos) {
    held.removeIf(h -> h.toHeight <= ourHeight || nowNanos - h.nanos >= requestTimeoutNanos);
    long bytes = 0;
    for (Held h : held) {
      bytes += h.bytes;
    }
    return bytes;
  }

  /** The claim, capped at the best other claim (or our height) plus the lead we believe. */
  private long credibleClaim(
      ByteString peer, long claim, long ourHeight, Map<ByteString, Long> peerHeights) {
    long bestOther = ourHeight;
    for (var e : peerHeights.entrySet()) {
      if (!e.getKey().equals(peer)) {
        bestOther = Math.max(bestOther, e.getValue());
      }
    }
    return Math.min(claim, saturatingAdd(bestOther, claimLeadMaxHeights));
  }

  /**
   * {@code a + b} for {@code b >= 1}, stopping at {@link Long#MAX_VALUE}: claims are unsigned peer
   * input, and a claim near 2^63 plus the lead must not wrap into a cap below our height.
   */
  static long saturatingAdd(long a, long b) {
    long sum = a + b;
    return sum < a ? Long.MAX_VALUE : sum;
  }

  /** Higher score first; among equals, take turns in key order after the one asked last. */
  private boolean better(ByteString candidate, ByteString best) {
    int c = score(candidate);
    int b = score(best);
    if (c != b) {
      return c > b;
    }
    return turnOrder(candidate) < turnOrder(best)
        || (turnOrder(candidate) == turnOrder(best)
            && ByteString.unsignedLexicographicalComparator().compare(candidate, best) < 0);
  }

  /** 0 for keys after the one asked last (their turn comes first), 1 for the others. */
  private int turnOrder(ByteString key) {
    if (lastAsked == null) {
      return 0;
    }
    return ByteString.unsignedLexicographicalComparator().compare(key, lastAsked) > 0 ? 0 : 1;
  }

  /** Loses score, and is not asked again for one request timeout. */
  private void penalise(ByteString peer, long nowNanos) {
    addScore(peer, -SCORE_PENALTY);
    benchedUntil.put(peer, nowNanos + requestTimeoutNanos);
  }

  private boolean benched(ByteString peer, long nowNanos) {
    Long until = benchedUntil.get(peer);
    return until != null && nowNanos - until < 0;
  }

  private void addScore(ByteString peer, int delta) {
    int now = scores.getOrDefault(peer, 0) + delta;
    scores.put(peer, Math.max(-SCORE_LIMIT, Math.min(0, now)));
  }

  /**
   * The answer to a neighbour's request: consecutive blocks from {@code fromHeight}, as many as fit
   * one frame of {@code frameBytesMax} (the source may overshoot its byte budget by a block, so the
   * answer is trimmed until it fits). Empty when we do not have {@code fromHeight}.
   */
  public static SyncResponse answer(
      BlockSource source, long fromHeight, int maxBlocks, int frameBytesMax) {
    int max = Math.min(maxBlocks, BLOCKS_PER_REQUEST_MAX);
    long budget = frameBytesMax - P2pConfig.SYNC_RESPONSE_HEADROOM_BYTES;
    List<CommittedBlock> blocks = new ArrayList<>(source.blocks(fromHeight, max, budget));
    while (true) {
      SyncResponse response = SyncResponse.newBuilder().addAllBlocks(blocks).build();
      int frameBytes =
          PeerFrame.newBuilder().setSyncResponse(response).build().getSerializedSize()
              + P2pNetwork.LENGTH_FIELD_BYTES;
      if (frameBytes <= frameBytesMax || blocks.isEmpty()) {
        return response;
      }
      blocks.remove(blocks.size() - 1);
    }
  }
}
