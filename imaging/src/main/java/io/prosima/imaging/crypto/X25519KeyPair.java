package io.prosima.imaging.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * An identity's raw X25519 key pair (RFC 7748 byte strings, 32 bytes each), the form the genesis
 * file stores. The private key never appears in {@link #toString()}.
 */
public final class X25519KeyPair {
  public static final int KEY_BYTES = 32;

  private final byte[] privateKey;
  private final byte[] publicKey;

  private X25519KeyPair(byte[] privateKey, byte[] publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /** A fresh key pair. */
  public static X25519KeyPair generate(SecureRandom random) {
    X25519PrivateKeyParameters sk = new X25519PrivateKeyParameters(random);
    return new X25519KeyPair(sk.getEncoded(), sk.generatePublicKey().getEncoded());
  }

  /** The pair for a raw 32-byte private key (copied); the public key is derived. */
  public static X25519KeyPair fromPrivateKey(byte[] rawPrivateKey) {
    checkKeyBytes("X25519 private key", rawPrivateKey);
    X25519PrivateKeyParameters sk = new X25519PrivateKeyParameters(rawPrivateKey.clone(), 0);
    return new X25519KeyPair(sk.getEncoded(), sk.generatePublicKey().getEncoded());
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** A copy of the raw private key; the caller owns (and should wipe) the copy. */
  public byte[] privateKey() {
    return privateKey.clone();
  }

  /** Overwrites the private key bytes. */
  public void destroy() {
    Arrays.fill(privateKey, (byte) 0);
  }

  byte[] privateKeyUnsafe() {
    return privateKey;
  }

  byte[] publicKeyUnsafe() {
    return publicKey;
  }

  static void checkKeyBytes(String what, byte[] key) {
    if (key == null || key.length != KEY_BYTES) {
      throw new IllegalArgumentException(what + " must be " + KEY_BYTES + " bytes");
    }
  }

  @Override
  public String toString() {
    // The public key is not secret; a short prefix helps operators tell identities apart.
    return "X25519KeyPair[public="
        + HexFormat.of().formatHex(publicKey, 0, 8)
        + "…, private redacted]";
  }
}
