package io.prosima.p2p;

import com.google.protobuf.ByteString;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The (origin, sequence) pairs seen recently, least recently seen evicted first. Thread-safe.
 *
 * <p>An origin is an Ed25519 public key; its first 8 bytes stand for it here to keep entries small
 * (two longs). Two validators sharing 8 leading key bytes is a 2^-64-per-pair accident, and a
 * neighbour that wants to suppress gossip can already forge the unsigned (origin, sequence) pair.
 */
final class GossipSeen {
  private record Id(long origin, long sequence) {}

  private final Map<Id, Boolean> seen;

  GossipSeen(int entriesMax) {
    if (entriesMax < 1) {
      throw new IllegalArgumentException("entriesMax must be >= 1");
    }
    this.seen =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Id, Boolean> eldest) {
            return size() > entriesMax;
          }
        };
  }

  /** True the first time this pair is offered (while it stays in the window), false after. */
  synchronized boolean firstSeen(ByteString origin, long sequence) {
    return seen.put(new Id(prefix(origin), sequence), Boolean.TRUE) == null;
  }

  synchronized int size() {
    return seen.size();
  }

  private static long prefix(ByteString origin) {
    long v = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      v = (v << 8) | (i < origin.size() ? origin.byteAt(i) & 0xff : 0);
    }
    // Mix in the length so short, zero-padded origins do not collide with real keys.
    return v ^ ((long) origin.size() << 56);
  }
}
