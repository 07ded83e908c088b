package io.prosima.imaging.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;

/**
 * Wraps an image's {@link DataKey} for one grantee with HPKE (RFC 9180), base mode, suite
 * DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-256-GCM. AES-256-GCM rather than ChaCha20-Poly1305
 * because the tiles already use AES-256-GCM: one AEAD to review, and AES-NI on every validator. The
 * {@code info} binds chain, image and grantee ({@link WrapContext}).
 *
 * <p>Wrapped key layout, version 1 (81 bytes):
 *
 * <pre>
 *   u8       format version (1), also the HPKE AEAD's associated data
 *   byte[32] enc (the sender's ephemeral X25519 public key)
 *   byte[48] HPKE ciphertext of the 32-byte data key, tag included
 * </pre>
 */
public final class KeyWrap {
  public static final int FORMAT_VERSION = 1;
  public static final int ENC_BYTES = 32;
  public static final int WRAPPED_BYTES = 1 + ENC_BYTES + DataKey.KEY_BYTES + 16;

  private KeyWrap() {}

  /** Wraps {@code key} for the holder of the X25519 private key behind {@code recipientPublic}. */
  public static byte[] wrap(DataKey key, byte[] recipientPublicKey, WrapContext context) {
    return wrap(key, recipientPublicKey, context, null);
  }

  /** As {@link #wrap}, with a fixed ephemeral key pair; for known-answer tests only. */
  static byte[] wrap(
      DataKey key, byte[] recipientPublicKey, WrapContext context, AsymmetricCipherKeyPair eph) {
    X25519KeyPair.checkKeyBytes("recipient X25519 public key", recipientPublicKey);
    HPKE hpke = suite(HPKE.aead_AES_GCM256);
    AsymmetricKeyParameter pkR = hpke.deserializePublicKey(recipientPublicKey);
    try {
      HPKEContextWithEncapsulation ctx =
          eph == null
              ? hpke.setupBaseS(pkR, context.info())
              : hpke.setupBaseS(pkR, context.info(), eph);
      byte[] ct = ctx.seal(new byte[] {FORMAT_VERSION}, key.bytes());
      byte[] out = new byte[WRAPPED_BYTES];
      out[0] = FORMAT_VERSION;
      System.arraycopy(ctx.getEncapsulation(), 0, out, 1, ENC_BYTES);
      System.arraycopy(ct, 0, out, 1 + ENC_BYTES, ct.length);
      return out;
    } catch (IllegalStateException e) {
      // BC refuses a DH result of all zeros: the recipient key is a low-order point.
      throw new IllegalArgumentException("recipient X25519 public key is not usable", e);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("HPKE seal failed", e);
    }
  }

  /**
   * Opens a wrapped key with the recipient's key pair.
   *
   * @throws KeyUnwrapException if the bytes are malformed, or were not wrapped for this recipient
   *     and context
   */
  public static DataKey unwrap(byte[] wrapped, X25519KeyPair recipient, WrapContext context)
      throws KeyUnwrapException {
    if (wrapped == null || wrapped.length != WRAPPED_BYTES) {
      throw new KeyUnwrapException("wrapped key must be " + WRAPPED_BYTES + " bytes");
    }
    if (wrapped[0] != FORMAT_VERSION) {
      throw new KeyUnwrapException("unknown wrapped key format version " + (wrapped[0] & 0xff));
    }
    HPKE hpke = suite(HPKE.aead_AES_GCM256);
    AsymmetricCipherKeyPair kpR =
        hpke.deserializePrivateKey(recipient.privateKeyUnsafe(), recipient.publicKeyUnsafe());
    byte[] enc = Arrays.copyOfRange(wrapped, 1, 1 + ENC_BYTES);
    byte[] raw = null;
    try {
      raw =
          hpke.setupBaseR(enc, kpR, context.info())
              .open(
                  new byte[] {FORMAT_VERSION},
                  wrapped,
                  1 + ENC_BYTES,
                  wrapped.length - 1 - ENC_BYTES);
      return DataKey.fromBytes(raw);
    } catch (InvalidCipherTextException e) {
      throw new KeyUnwrapException(
          "wrapped key does not open with this identity's key "
              + "(wrong recipient, altered bytes, or wrong chain/image/grantee)",
          e);
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new KeyUnwrapException("wrapped key carries an unusable ephemeral key", e);
    } finally {
      if (raw != null) {
        Arrays.fill(raw, (byte) 0);
      }
    }
  }

  /**
   * As {@link #unwrap(byte[], X25519KeyPair, WrapContext)}, for a raw 32-byte X25519 private key as
   * the genesis file stores it; the public key is derived.
   */
  public static DataKey unwrap(byte[] wrapped, byte[] recipientPrivateKey, WrapContext context)
      throws KeyUnwrapException {
    X25519KeyPair pair = X25519KeyPair.fromPrivateKey(recipientPrivateKey);
    try {
      return unwrap(wrapped, pair, context);
    } finally {
      pair.destroy();
    }
  }

  /** The HPKE suite this class uses, with the given AEAD (tests run RFC 9180 A.1 through it). */
  static HPKE suite(short aeadId) {
    return new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, aeadId);
  }
}
