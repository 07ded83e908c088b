package io.prosima.storage;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Layout of the fragments column family. Key: image id UTF-8 || 0x00 || u32be(key epoch) ||
 * u32be(tile) || u32be(fragment index); image ids never contain 0x00. Value: uploader (32 bytes) ||
 * u64be(stored_at_ms) || sha256 (32 bytes) || fragment bytes.
 */
final class FragmentKeys {
  static final int KEY_BYTES = 32;
  static final int HASH_BYTES = 32;
  static final int VALUE_HEADER_BYTES = KEY_BYTES + Long.BYTES + HASH_BYTES;
  private static final int POSITION_BYTES = 3 * Integer.BYTES;

  private FragmentKeys() {}

  static byte[] key(FragmentId id) {
    byte[] image = imagePrefix(id.imageId());
    return ByteBuffer.allocate(image.length + POSITION_BYTES)
        .put(image)
        .putInt(id.keyEpoch())
        .putInt(id.tileIndex())
        .putInt(id.fragmentIndex())
        .array();
  }

  /** The first key of {@code keyEpoch} of an image (all tiles and fragments sort after it). */
  static byte[] epochStart(String imageId, int keyEpoch) {
    byte[] image = imagePrefix(imageId);
    return ByteBuffer.allocate(image.length + Integer.BYTES).put(image).putInt(keyEpoch).array();
  }

  static byte[] imagePrefix(String imageId) {
    byte[] id = imageId.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[id.length + 1];
    System.arraycopy(id, 0, out, 0, id.length);
    return out;
  }

  static FragmentId id(byte[] key) {
    int zero = key.length - POSITION_BYTES - 1;
    if (zero < 1 || key[zero] != 0) {
      throw new StorageCorruptionException("storage corruption: bad key in fragments");
    }
    ByteBuffer pos = ByteBuffer.wrap(key, zero + 1, POSITION_BYTES);
    return new FragmentId(
        new String(key, 0, zero, StandardCharsets.UTF_8), pos.getInt(), pos.getInt(), pos.getInt());
  }

  static byte[] value(Fragment f) {
    if (f.uploader().size() != KEY_BYTES || f.sha256().size() != HASH_BYTES) {
      throw new IllegalArgumentException("fragment needs a 32-byte uploader key and sha256");
    }
    return ByteBuffer.allocate(VALUE_HEADER_BYTES + f.data().size())
        .put(f.uploader().toByteArray())
        .putLong(f.storedAtMs())
        .put(f.sha256().toByteArray())
        .put(f.data().toByteArray())
        .array();
  }

  static Fragment fragment(FragmentId id, byte[] value) {
    FragmentInfo info = info(id, value);
    ByteString data =
        ByteString.copyFrom(value, VALUE_HEADER_BYTES, value.length - VALUE_HEADER_BYTES);
    return new Fragment(id, info.uploader(), info.storedAtMs(), info.sha256(), data);
  }

  static FragmentInfo info(FragmentId id, byte[] value) {
    if (value.length < VALUE_HEADER_BYTES) {
      throw new StorageCorruptionException("storage corruption: short value in fragments");
    }
    return new FragmentInfo(
        id,
        ByteString.copyFrom(value, 0, KEY_BYTES),
        ByteBuffer.wrap(value).getLong(KEY_BYTES),
        ByteString.copyFrom(value, KEY_BYTES + Long.BYTES, HASH_BYTES),
        value.length - VALUE_HEADER_BYTES);
  }
}
