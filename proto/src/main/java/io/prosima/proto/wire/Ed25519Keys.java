package io.prosima.proto.wire;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 (RFC 8032) through Bouncy Castle's low-level implementation, which verifies about 9x
 * faster than the JDK provider here (see shared/PERF-NOTES.md); verification asks libsodium first
 * ({@link SodiumEd25519}), which is faster again, without changing any verdict.
 */
public final class Ed25519Keys {
  public static final int PUBLIC_KEY_BYTES = Ed25519.PUBLIC_KEY_SIZE;
  public static final int PRIVATE_KEY_BYTES = Ed25519.SECRET_KEY_SIZE;
  public static final int SIGNATURE_BYTES = Ed25519.SIGNATURE_SIZE;

  private Ed25519Keys() {}

  public static byte[] newPrivateKey(SecureRandom random) {
    byte[] sk = new byte[PRIVATE_KEY_BYTES];
    Ed25519.generatePrivateKey(random, sk);
    return sk;
  }

  public static byte[] publicKey(byte[] privateKey) {
    checkLength(privateKey, PRIVATE_KEY_BYTES, "private key");
    byte[] pk = new byte[PUBLIC_KEY_BYTES];
    Ed25519.generatePublicKey(privateKey, 0, pk, 0);
    return pk;
  }

  public static byte[] sign(byte[] privateKey, byte[] publicKey, byte[] message) {
    checkLength(privateKey, PRIVATE_KEY_BYTES, "private key");
    checkLength(publicKey, PUBLIC_KEY_BYTES, "public key");
    byte[] sig = new byte[SIGNATURE_BYTES];
    Ed25519.sign(privateKey, 0, publicKey, 0, message, 0, message.length, sig, 0);
    return sig;
  }

  /**
   * False for a wrong signature and for malformed keys or signatures (never throws). The verdict is
   * Bouncy Castle's: the key must pass its full validation (a canonical point of prime order), and
   * for such a key libsodium accepts a subset of what Bouncy Castle accepts (it also refuses a
   * small-order R), so its "yes" is taken as it is and its "no" is checked again by Bouncy Castle.
   * Valid signatures, nearly all of them, cost libsodium's time; an invalid one costs both.
   */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey.length != PUBLIC_KEY_BYTES || signature.length != SIGNATURE_BYTES) {
      return false;
    }
    try {
      Ed25519.PublicPoint point = decodedKeys.get(publicKey);
      if (point == null) {
        point = Ed25519.validatePublicKeyFullExport(publicKey, 0);
        if (point == null) {
          return false; // not a valid curve point
        }
        decodedKeys.put(publicKey, point);
      }
      if (SodiumEd25519.verify(publicKey, message, signature)) {
        return true;
      }
      return Ed25519.verify(signature, 0, point, message, 0, message.length);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Decoded public keys: decoding (point decompression) is about a tenth of a verification, and a
   * ledger sees the same few hundred signers again and again. Bounded; cleared when full.
   */
  private static final DecodedKeyCache decodedKeys = new DecodedKeyCache(100_000);

  private static final class DecodedKeyCache {
    private final int max;
    private final ConcurrentHashMap<ByteBuffer, Ed25519.PublicPoint> map =
        new ConcurrentHashMap<>();

    DecodedKeyCache(int max) {
      this.max = max;
    }

    Ed25519.PublicPoint get(byte[] key) {
      return map.get(ByteBuffer.wrap(key));
    }

    void put(byte[] key, Ed25519.PublicPoint point) {
      if (map.size() >= max) {
        map.clear();
      }
      map.put(ByteBuffer.wrap(key.clone()), point);
    }
  }

  private static void checkLength(byte[] key, int expected, String what) {
    if (key.length != expected) {
      // Lengths only: key bytes never appear in errors.
      throw new IllegalArgumentException(
          "Ed25519 " + what + " must be " + expected + " bytes, got " + key.length);
    }
  }
}
