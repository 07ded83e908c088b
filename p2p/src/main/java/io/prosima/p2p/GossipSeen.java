package io.prosima.p2p;

import com.google.protobuf.ByteString;
import io.prosima.proto.wire.Sha256;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gossip bodies seen recently, by content (SHA-256 of the body's bytes), least recently
 * accepted evicted first. Thread-safe; time comes in as nanoseconds.
 *
 * <p>Why content and not (origin, sequence): those two fields are not signed, so a neighbour could
 * claim a validator's next sequence numbers for junk and have the real messages dropped as
 * duplicates network-wide. A body carries its own signatures, and nobody but its signer can make a
 * body that hashes like it before the signer sends it.
 *
 * <p>Why entries expire after {@code expiryNanos}: the consensus driver re-sends its own signed
 * messages, byte for byte, until they take effect; a re-send must flood again to reach a node that
 * missed the first copy, two hops away, behind a node that did not. The expiry is kept short of the
 * re-send interval and long past the time a flood takes to die out (the ttl bounds it anyway).
 *
 * <p>Only the first 16 bytes of the hash are kept (two longs per entry): forging a body with the
 * same 128-bit prefix as a body not yet sent is a second-preimage problem.
 */
final class GossipSeen {
  record Id(long high, long low) {}

  /** What a copy of a body is to this node. */
  enum Seen {
    /** Not seen within the expiry: recorded now. */
    NEW,
    /** Seen, and this copy may travel no further than one seen before (or the node refused it). */
    DUPLICATE,
    /**
     * Seen and taken by the node, but this copy may travel further (higher ttl) than any before: a
     * neighbour that relayed it first with a ttl of 1 must not cut its flood short.
     */
    FURTHER
  }

  private static final class Entry {
    long nanos;
    int ttl;
    boolean refused;
  }

  private final long expiryNanos;
  // Insertion order: an entry moves to the end only when it is seen as new again.
  private final Map<Id, Entry> entries;

  GossipSeen(int entriesMax, long expiryNanos) {
    if (entriesMax < 1) {
      throw new IllegalArgumentException("entriesMax must be >= 1");
    }
    if (expiryNanos < 1) {
      throw new IllegalArgumentException("expiryNanos must be >= 1");
    }
    this.expiryNanos = expiryNanos;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Id, Entry> eldest) {
            return size() > entriesMax;
          }
        };
  }

  /**
   * True if this body was not seen within the expiry (nor evicted since): it is new, and is
   * recorded now, as if it had travelled as far as any copy can. False for a duplicate.
   */
  boolean firstSeen(ByteString body, long nowNanos) {
    return observe(id(body), Integer.MAX_VALUE, nowNanos) == Seen.NEW;
  }

  /** Records a copy of body {@code id} that may travel {@code ttl} more hops. */
  synchronized Seen observe(Id id, int ttl, long nowNanos) {
    Entry e = entries.get(id);
    if (e != null && nowNanos - e.nanos < expiryNanos) {
      if (e.refused || ttl <= e.ttl) {
        return Seen.DUPLICATE;
      }
      e.ttl = ttl;
      return Seen.FURTHER;
    }
    entries.remove(id);
    e = new Entry();
    e.nanos = nowNanos;
    e.ttl = ttl;
    entries.put(id, e);
    return Seen.NEW;
  }

  /**
   * The node refused body {@code id}, or passes it on itself: no copy of it is relayed while it is
   * remembered.
   */
  synchronized void refused(Id id) {
    Entry e = entries.get(id);
    if (e != null) {
      e.refused = true;
    }
  }

  synchronized int size() {
    return entries.size();
  }

  static Id id(ByteString body) {
    MessageDigest sha256 = Sha256.digest();
    sha256.update(body.asReadOnlyByteBuffer());
    ByteBuffer hash = ByteBuffer.wrap(sha256.digest());
    return new Id(hash.getLong(), hash.getLong());
  }
}
