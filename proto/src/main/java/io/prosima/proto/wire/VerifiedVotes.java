package io.prosima.proto.wire;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ed25519 checks of vote signatures (gossiped votes and certificate entries), remembered when they
 * succeed. One vote is checked several times by one node: before it is relayed, when the core
 * counts it, and again in every commit certificate that carries it (the next block's last_commit,
 * the decision, synced blocks). A check is a pure function of (key, message, signature), so a
 * success can be reused; failures are not remembered. Proposals are not remembered: their signing
 * bytes hold a whole block, and hashing it for the entry would cost as much as the check saves. The
 * entry is SHA-256 of the three (first 16 bytes kept): forging an entry means finding a second
 * preimage.
 *
 * <p>Process-wide and bounded (least recently added evicted); thread-safe.
 */
public final class VerifiedVotes {
  static final int ENTRIES_MAX = 1 << 16;

  private record Id(long high, long low) {}

  private static final Map<Id, Boolean> verified =
      new LinkedHashMap<>(1 << 10, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Id, Boolean> eldest) {
          return size() > ENTRIES_MAX;
        }
      };

  private VerifiedVotes() {}

  /** {@link Ed25519Keys#verify}, skipped when this exact check succeeded before. */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    Id id = id(publicKey, message, signature);
    synchronized (verified) {
      if (verified.containsKey(id)) {
        return true;
      }
    }
    if (!Ed25519Keys.verify(publicKey, message, signature)) {
      return false;
    }
    synchronized (verified) {
      verified.put(id, Boolean.TRUE);
    }
    return true;
  }

  private static Id id(byte[] publicKey, byte[] message, byte[] signature) {
    MessageDigest sha256 = Sha256.digest();
    // Lengths first, so no two different triples share an encoding.
    sha256.update(
        ByteBuffer.allocate(12)
            .putInt(publicKey.length)
            .putInt(message.length)
            .putInt(signature.length)
            .array());
    sha256.update(publicKey);
    sha256.update(message);
    sha256.update(signature);
    ByteBuffer hash = ByteBuffer.wrap(sha256.digest());
    return new Id(hash.getLong(), hash.getLong());
  }
}
