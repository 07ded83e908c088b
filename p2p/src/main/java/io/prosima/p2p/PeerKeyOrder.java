package io.prosima.p2p;

import com.google.protobuf.ByteString;

/** Which side of a neighbour pair dials, and how keys appear in logs. */
final class PeerKeyOrder {
  private static final int SHORT_KEY_BYTES = 4;

  private PeerKeyOrder() {}

  /** The node whose key is smaller (unsigned bytes) dials; the other only accepts. */
  static boolean weDial(ByteString ours, ByteString theirs) {
    return ByteString.unsignedLexicographicalComparator().compare(ours, theirs) < 0;
  }

  /** First 8 hex characters of a public key: enough to tell validators apart in logs. */
  static String shortKey(ByteString key) {
    StringBuilder sb = new StringBuilder(2 * SHORT_KEY_BYTES);
    for (int i = 0; i < Math.min(SHORT_KEY_BYTES, key.size()); i++) {
      sb.append(String.format("%02x", key.byteAt(i) & 0xff));
    }
    return sb.toString();
  }
}
