package io.prosima.p2p;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.Gossip;
import io.prosima.proto.v1.GossipBody;
import java.util.function.Function;

/**
 * The flooding rule of the overlay, without sockets: what a node sends for its own gossip and what
 * it does with a neighbour's (de-duplicate by content, ask the node, relay with one hop less). The
 * node's {@link P2pNetwork} and the deterministic simulator both use this class, so the simulated
 * flood is the real one. Thread-safe; time comes in as nanoseconds.
 */
public final class GossipRouter {
  /** What became of a neighbour's gossip. */
  public enum Fate {
    /** Our own body coming back, or one seen within the expiry. */
    DUPLICATE,
    /** No body or no origin. */
    MALFORMED,
    /** The node refused it: not relayed. */
    REFUSED,
    /** The node took it and passes on what it keeps itself: not relayed. */
    TAKEN,
    /** The node took it; relay {@link Outcome#relay} to every neighbour but the sender. */
    ACCEPTED,
    /**
     * Taken before, but this copy has more hops left than any copy before (a neighbour that relayed
     * it first with a ttl of 1 cannot cut its flood short): relay again, without the node.
     */
    RELAYED_FURTHER
  }

  /**
   * @param relay the gossip to send on to every neighbour but the sender; null when there is none
   *     (not accepted, or its hops are used up)
   */
  public record Outcome(Fate fate, Gossip relay) {}

  private final ByteString self;
  private final int ttlMax;
  private final GossipSeen seen;
  private long sequence;

  /**
   * @param firstSequence where this node's sequence numbers start (random in the node, so that a
   *     restarted node does not reuse them; they are not trusted by anyone)
   */
  public GossipRouter(
      ByteString self, int ttlMax, int seenEntriesMax, long seenExpiryNanos, long firstSequence) {
    if (ttlMax < 1) {
      throw new IllegalArgumentException("ttlMax must be >= 1");
    }
    this.self = self;
    this.ttlMax = ttlMax;
    this.seen = new GossipSeen(seenEntriesMax, seenExpiryNanos);
    this.sequence = firstSequence;
  }

  /**
   * Our own new gossip (origin = us, next sequence, the full ttl), to send to every neighbour. The
   * body is marked seen, so its copies coming back are duplicates.
   */
  public Gossip originate(GossipBody body, long nowNanos) {
    long seq;
    synchronized (this) {
      seq = sequence++;
    }
    seen.firstSeen(body.toByteString(), nowNanos);
    return Gossip.newBuilder()
        .setOrigin(self)
        .setSequence(seq)
        .setTtl(ttlMax)
        .setBody(body)
        .build();
  }

  /**
   * A gossip from a neighbour. The node ({@code accept}) is asked only about a body seen for the
   * first time; it is relayed only after the node accepted it, so a neighbour cannot make us flood
   * what the node refuses. Duplicates are found by content, not by (origin, sequence), which are
   * not signed (see {@link GossipSeen}).
   */
  public Outcome receive(Gossip gossip, long nowNanos, Function<Gossip, Verdict> accept) {
    if (gossip.getOrigin().equals(self)) {
      return new Outcome(Fate.DUPLICATE, null);
    }
    if (!gossip.hasBody() || gossip.getOrigin().isEmpty()) {
      return new Outcome(Fate.MALFORMED, null);
    }
    // A neighbour's ttl above ours is capped: it cannot make a body travel further than we would.
    int ttl = Math.min(gossip.getTtl(), ttlMax);
    GossipSeen.Id id = GossipSeen.id(gossip.getBody().toByteString());
    switch (seen.observe(id, ttl, nowNanos)) {
      case DUPLICATE -> {
        return new Outcome(Fate.DUPLICATE, null);
      }
      case FURTHER -> {
        // Taken before from a copy with fewer hops left: relayed again, the node is not asked.
        return new Outcome(Fate.RELAYED_FURTHER, relay(gossip, ttl));
      }
      case NEW -> {}
    }
    Verdict verdict = accept.apply(gossip);
    if (verdict != Verdict.ACCEPT) {
      seen.refused(id); // no copy of it is relayed either
      return new Outcome(verdict == Verdict.TAKEN ? Fate.TAKEN : Fate.REFUSED, null);
    }
    return new Outcome(Fate.ACCEPTED, relay(gossip, ttl));
  }

  private static Gossip relay(Gossip gossip, int ttl) {
    return ttl > 1 ? gossip.toBuilder().setTtl(ttl - 1).build() : null;
  }

  int seenSize() {
    return seen.size();
  }
}
