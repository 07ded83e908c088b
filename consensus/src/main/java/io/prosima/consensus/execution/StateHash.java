package io.prosima.consensus.execution;

import io.prosima.proto.v1.Genesis;
import io.prosima.proto.wire.Canonical;
import io.prosima.proto.wire.Sha256;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Map;

/**
 * The state commitment: a hash chain over each block's sorted write set. state(0) =
 * SHA-256("prosima/genesis/v1" 0x00 || canonical genesis); state(h) = SHA-256("prosima/state/v1"
 * 0x00 || state(h-1) || u64be(h) || for each write in key order: u32be(len key) || key || 0x01 ||
 * u32be(len value) || value, or 0x00 for a deletion). Two nodes with the same history have the same
 * hash at every height, so a diverging node is detected at the next header.
 */
public final class StateHash {
  private StateHash() {}

  public static byte[] genesis(Genesis genesis) {
    return Sha256.tagged("prosima/genesis/v1", Canonical.bytes(genesis));
  }

  public static byte[] next(byte[] previous, long height, WriteSet writes) {
    MessageDigest md = Sha256.digest();
    md.update(io.prosima.proto.wire.DomainTags.prefix("prosima/state/v1"));
    md.update(previous);
    md.update(ByteBuffer.allocate(8).putLong(height).array());
    ByteBuffer len = ByteBuffer.allocate(4);
    for (Map.Entry<byte[], byte[]> e : writes.entries().entrySet()) {
      md.update(len.clear().putInt(e.getKey().length).array());
      md.update(e.getKey());
      if (e.getValue() == null) {
        md.update((byte) 0);
      } else {
        md.update((byte) 1);
        md.update(len.clear().putInt(e.getValue().length).array());
        md.update(e.getValue());
      }
    }
    return md.digest();
  }
}
