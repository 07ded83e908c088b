package io.prosima.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Keys of the secondary indexes: owner id || 0x00 || u64be(height) || u32be(index). */
final class TxIndexKeys {
  static final int POSITION_BYTES = Long.BYTES + Integer.BYTES;

  private TxIndexKeys() {}

  static byte[] prefix(byte[] owner) {
    byte[] out = new byte[owner.length + 1];
    System.arraycopy(owner, 0, out, 0, owner.length);
    return out;
  }

  static byte[] imagePrefix(String imageId) {
    return prefix(imageId.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] key(byte[] prefix, long height, int index) {
    return ByteBuffer.allocate(prefix.length + POSITION_BYTES)
        .put(prefix)
        .putLong(height)
        .putInt(index)
        .array();
  }
}
