package io.prosima.imaging.crypto;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A per-image AES-256 data key. The bytes never leave this package except through {@link
 * #copyBytes()}, which exists for key storage at the owner; {@link #toString()} never shows them.
 */
public final class DataKey {
  /** AES-256. */
  public static final int KEY_BYTES = 32;

  private final byte[] bytes;
  private boolean destroyed;

  private DataKey(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A fresh random key. */
  public static DataKey generate(SecureRandom random) {
    byte[] b = new byte[KEY_BYTES];
    random.nextBytes(b);
    return new DataKey(b);
  }

  /** A key from its 32 raw bytes (copied). */
  public static DataKey fromBytes(byte[] raw) {
    if (raw == null || raw.length != KEY_BYTES) {
      throw new IllegalArgumentException("a data key is " + KEY_BYTES + " bytes");
    }
    return new DataKey(raw.clone());
  }

  /** A copy of the raw key bytes; the caller owns (and should wipe) the copy. */
  public byte[] copyBytes() {
    return bytes().clone();
  }

  /** Overwrites the key bytes; any later use fails. */
  public void destroy() {
    Arrays.fill(bytes, (byte) 0);
    destroyed = true;
  }

  /** The live key bytes, for this package only; never to be returned or logged. */
  byte[] bytes() {
    if (destroyed) {
      throw new IllegalStateException("data key was destroyed");
    }
    return bytes;
  }

  @Override
  public String toString() {
    return "DataKey[AES-256, redacted]";
  }
}
