package io.prosima.proto.wire;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 helpers. Every hash on the ledger is SHA-256 (32 bytes). */
public final class Sha256 {
  public static final int BYTES = 32;

  // MessageDigest.getInstance looks the provider up and builds the digest by reflection on every
  // call: about a tenth of the admission threads' time when each tx hashes a few dozen leaves.
  // Cloning a prototype skips both.
  private static final MessageDigest PROTOTYPE = lookUp();

  private Sha256() {}

  private static MessageDigest lookUp() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** A fresh digest; MessageDigest is not thread-safe, so callers never share one. */
  public static MessageDigest digest() {
    try {
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return lookUp();
    }
  }

  public static byte[] hash(byte[] data) {
    return digest().digest(data);
  }

  /** Hash of a domain tag (ASCII, then a zero byte) followed by the parts, in order. */
  public static byte[] tagged(String tag, byte[]... parts) {
    MessageDigest md = digest();
    md.update(DomainTags.prefix(tag));
    for (byte[] part : parts) {
      md.update(part);
    }
    return md.digest();
  }
}
