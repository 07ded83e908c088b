package io.prosima.p2p;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
  private record Id(long high, long low) {}

  private final long expiryNanos;
  // Insertion order: an entry moves to the end only when it is accepted again.
  private final Map<Id, Long> acceptedNanos;

  GossipSeen(int entriesMax, long expiryNanos) {
    if (entriesMax < 1) {
      throw new IllegalArgumentException("entriesMax must be >= 1");
    }
    if (expiryNanos < 1) {
      throw new IllegalArgumentException("expiryNanos must be >= 1");
    }
    this.expiryNanos = expiryNanos;
    this.acceptedNanos =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Id, Long> eldest) {
            return size() > entriesMax;
          }
        };
  }

  /**
   * True if this body was not accepted within the expiry (nor evicted since): it is new, and is
   * recorded as accepted now. False for a duplicate.
   */
  boolean firstSeen(ByteString body, long nowNanos) {
    Id id = id(body);
    synchronized (this) {
      Long at = acceptedNanos.get(id);
      if (at != null && nowNanos - at < expiryNanos) {
        return false;
      }
      acceptedNanos.remove(id);
      acceptedNanos.put(id, nowNanos);
      return true;
    }
  }

  synchronized int size() {
    return acceptedNanos.size();
  }

  private static Id id(ByteString body) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    sha256.update(body.asReadOnlyByteBuffer());
    ByteBuffer hash = ByteBuffer.wrap(sha256.digest());
    return new Id(hash.getLong(), hash.getLong());
  }
}
