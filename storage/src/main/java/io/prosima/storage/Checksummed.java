package io.prosima.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Every stored value carries a CRC32C of its bytes (4 bytes, big-endian, appended) so a flipped bit
 * on disk or a torn value is caught on read instead of being parsed into a wrong answer.
 */
final class Checksummed {
  static final int CRC_BYTES = 4;

  private Checksummed() {}

  static byte[] wrap(byte[] value) {
    CRC32C crc = new CRC32C();
    crc.update(value);
    return ByteBuffer.allocate(value.length + CRC_BYTES)
        .put(value)
        .putInt((int) crc.getValue())
        .array();
  }

  /** The value without its checksum; throws when the checksum does not match. */
  static byte[] unwrap(byte[] stored, String where) {
    if (stored.length < CRC_BYTES) {
      throw new StorageCorruptionException("storage corruption: value too short in " + where);
    }
    int n = stored.length - CRC_BYTES;
    CRC32C crc = new CRC32C();
    crc.update(stored, 0, n);
    int expected = ByteBuffer.wrap(stored, n, CRC_BYTES).getInt();
    if ((int) crc.getValue() != expected) {
      throw new StorageCorruptionException("storage corruption: checksum mismatch in " + where);
    }
    byte[] value = new byte[n];
    System.arraycopy(stored, 0, value, 0, n);
    return value;
  }
}
