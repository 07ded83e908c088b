package io.prosima.proto.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

/**
 * Asking libsodium first must not change a single verdict: every case here is decided by {@link
 * Ed25519Keys#verify} exactly as Bouncy Castle alone decides it.
 */
class Ed25519VerdictsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final BigInteger L =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

  /** Bouncy Castle's verdict, the reference. */
  private static boolean bouncyCastle(byte[] key, byte[] message, byte[] signature) {
    if (key.length != 32 || signature.length != 64) {
      return false;
    }
    Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(key, 0);
    return point != null && Ed25519.verify(signature, 0, point, message, 0, message.length);
  }

  private static void sameVerdict(byte[] key, byte[] message, byte[] signature, boolean expected) {
    assertEquals(expected, bouncyCastle(key, message, signature), "reference verdict");
    assertEquals(expected, Ed25519Keys.verify(key, message, signature), "Ed25519Keys verdict");
  }

  @Test
  void theBundledLibsodiumLoadsOnLinuxX86() {
    assumeTrue(
        System.getProperty("os.name").toLowerCase().contains("linux")
            && System.getProperty("os.arch").equals("amd64"),
        "the fast path is checked on linux/amd64, the platform CI runs on");
    assertTrue(SodiumEd25519.available(), "libsodium should load from lazysodium's jar here");
  }

  @Test
  void rfc8032VectorsVerifyAndAnyFlippedBitDoesNot() {
    String[][] vectors = {
      {
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
      },
      {
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
      },
      {
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
      }
    };
    for (String[] v : vectors) {
      byte[] key = HEX.parseHex(v[0]);
      byte[] message = HEX.parseHex(v[1]);
      byte[] signature = HEX.parseHex(v[2]);
      sameVerdict(key, message, signature, true);
      for (int bit = 0; bit < 512; bit += 7) {
        byte[] flipped = signature.clone();
        flipped[bit / 8] ^= (byte) (1 << (bit % 8));
        sameVerdict(key, message, flipped, false);
      }
      byte[] otherMessage = (v[1] + "00").getBytes();
      sameVerdict(key, otherMessage, signature, false);
    }
  }

  @Test
  void randomKeysAndMessagesAgreeBothWays() {
    Random random = new Random(12);
    for (int i = 0; i < 200; i++) {
      byte[] sk = new byte[32];
      random.nextBytes(sk);
      byte[] pk = Ed25519Keys.publicKey(sk);
      byte[] message = new byte[random.nextInt(2500)];
      random.nextBytes(message);
      byte[] signature = Ed25519Keys.sign(sk, pk, message);
      sameVerdict(pk, message, signature, true);
      if (message.length > 0) {
        byte[] changed = message.clone();
        changed[random.nextInt(changed.length)] ^= 1;
        sameVerdict(pk, changed, signature, false);
      }
      byte[] otherKey =
          Ed25519Keys.publicKey(Ed25519Keys.newPrivateKey(new java.security.SecureRandom()));
      sameVerdict(otherKey, message, signature, false);
    }
  }

  @Test
  void aNonCanonicalScalarIsRefusedByBoth() {
    byte[] sk = new byte[32];
    sk[0] = 7;
    byte[] pk = Ed25519Keys.publicKey(sk);
    byte[] message = "anchor".getBytes();
    byte[] signature = Ed25519Keys.sign(sk, pk, message);
    // S + L is the same scalar mod L, a second encoding of a valid signature: malleability.
    byte[] s = new byte[32];
    for (int i = 0; i < 32; i++) {
      s[31 - i] = signature[32 + i]; // little-endian to big-endian
    }
    byte[] sPlusL = new BigInteger(1, s).add(L).toByteArray();
    byte[] malleable = signature.clone();
    java.util.Arrays.fill(malleable, 32, 64, (byte) 0);
    for (int i = 0; i < sPlusL.length && i < 32; i++) {
      malleable[32 + i] = sPlusL[sPlusL.length - 1 - i];
    }
    assertFalse(java.util.Arrays.equals(malleable, signature));
    sameVerdict(pk, message, malleable, false);
  }

  @Test
  void smallOrderAndNonCanonicalKeysAreRefusedByBoth() {
    byte[] message = "anchor".getBytes();
    byte[] anySignature = new byte[64];
    anySignature[0] = 1; // R = the identity's encoding, S = 0: "valid" under a small-order key
    byte[] identity = new byte[32];
    identity[0] = 1;
    sameVerdict(identity, message, anySignature, false);
    // y = p (2^255 - 19), a non-canonical encoding of y = 0.
    byte[] nonCanonical =
        HEX.parseHex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    sameVerdict(nonCanonical, message, anySignature, false);
    sameVerdict(new byte[31], message, anySignature, false);
    sameVerdict(identity, message, new byte[63], false);
  }
}
