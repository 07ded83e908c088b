package io.prosima.proto.wire;

import com.goterl.lazysodium.SodiumJava;
import com.goterl.lazysodium.utils.LibraryLoader;
import java.util.HexFormat;

/**
 * libsodium's Ed25519 verification, the copy bundled in lazysodium-java (nothing is downloaded),
 * called through JNA. On this machine kind it costs about 56 µs of CPU per 2 KB transaction against
 * Bouncy Castle's 103 µs, and verification was 57 % of a node's CPU per transaction (issue 12).
 *
 * <p>Used only as a fast "yes": see {@link Ed25519Keys#verify}. When the native library cannot be
 * loaded, or fails its self-test on the RFC 8032 vectors, {@link #available()} is false and every
 * verification goes to Bouncy Castle alone; the verdicts are the same either way.
 */
final class SodiumEd25519 {
  // RFC 8032, section 7.1, TEST 2 (a one-byte message).
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] TEST_KEY =
      HEX.parseHex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
  private static final byte[] TEST_MESSAGE = HEX.parseHex("72");
  private static final byte[] TEST_SIGNATURE =
      HEX.parseHex(
          "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
              + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");

  private static final SodiumJava SODIUM = load();

  private SodiumEd25519() {}

  static boolean available() {
    return SODIUM != null;
  }

  /** True if libsodium accepts the signature; false if it refuses or is not available. */
  static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    return SODIUM != null
        && SODIUM.crypto_sign_verify_detached(signature, message, message.length, publicKey) == 0;
  }

  /** Set to true to verify with Bouncy Castle alone (to compare, or on a doubtful platform). */
  static final String BOUNCY_CASTLE_ONLY_PROPERTY = "prosima.ed25519.bouncycastle-only";

  private static SodiumJava load() {
    if (Boolean.getBoolean(BOUNCY_CASTLE_ONLY_PROPERTY)) {
      return null;
    }
    try {
      // Bundled only: the system's libsodium (if any) may be another version than the one tested.
      SodiumJava sodium = new SodiumJava(LibraryLoader.Mode.BUNDLED_ONLY);
      if (sodium.sodium_init() < 0) {
        return null;
      }
      byte[] flipped = TEST_SIGNATURE.clone();
      flipped[0] ^= 1;
      boolean good =
          sodium.crypto_sign_verify_detached(
                  TEST_SIGNATURE, TEST_MESSAGE, TEST_MESSAGE.length, TEST_KEY)
              == 0;
      boolean bad =
          sodium.crypto_sign_verify_detached(flipped, TEST_MESSAGE, TEST_MESSAGE.length, TEST_KEY)
              == 0;
      return good && !bad ? sodium : null;
    } catch (Exception | LinkageError e) {
      // No native library for this platform, no writable temp directory, JNA missing: fall back.
      return null;
    }
  }
}
