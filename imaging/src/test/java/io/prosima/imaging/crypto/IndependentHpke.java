package io.prosima.imaging.crypto;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An HPKE base-mode receiver written from RFC 9180 §4-§5 on the JDK alone (XDH, HmacSHA256,
 * AES/GCM), sharing no code with Bouncy Castle; tests use it to cross-check our wraps.
 */
final class IndependentHpke {
  private static final byte[] KEM_SUITE = concat(ascii("KEM"), new byte[] {0x00, 0x20});

  private IndependentHpke() {}

  /** Opens the first (sequence 0) message of a base-mode context. */
  static byte[] openBase(
      int aeadId, byte[] skR, byte[] pkR, byte[] enc, byte[] info, byte[] aad, byte[] ct)
      throws Exception {
    int nk = aeadId == 1 ? 16 : 32;
    byte[] hpkeSuite =
        concat(ascii("HPKE"), new byte[] {0x00, 0x20, 0x00, 0x01, 0x00, (byte) aeadId});
    byte[] dh = x25519(skR, enc);
    byte[] eaePrk = labeledExtract(KEM_SUITE, new byte[0], "eae_prk", dh);
    byte[] shared = labeledExpand(KEM_SUITE, eaePrk, "shared_secret", concat(enc, pkR), 32);
    byte[] pskIdHash = labeledExtract(hpkeSuite, new byte[0], "psk_id_hash", new byte[0]);
    byte[] infoHash = labeledExtract(hpkeSuite, new byte[0], "info_hash", info);
    byte[] ksc = concat(new byte[] {0x00}, pskIdHash, infoHash);
    byte[] secret = labeledExtract(hpkeSuite, shared, "secret", new byte[0]);
    byte[] key = labeledExpand(hpkeSuite, secret, "key", ksc, nk);
    byte[] nonce = labeledExpand(hpkeSuite, secret, "base_nonce", ksc, 12);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
    c.updateAAD(aad);
    return c.doFinal(ct);
  }

  static byte[] x25519(byte[] scalar, byte[] uBytes) throws Exception {
    KeyFactory kf = KeyFactory.getInstance("XDH");
    PrivateKey sk =
        kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar.clone()));
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = uBytes[31 - i];
    }
    be[0] &= 0x7f; // RFC 7748 §5: the top bit of u is ignored.
    PublicKey pk =
        kf.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
    KeyAgreement ka = KeyAgreement.getInstance("XDH");
    ka.init(sk);
    ka.doPhase(pk, true);
    return ka.generateSecret();
  }

  static byte[] labeledExtract(byte[] suite, byte[] salt, String label, byte[] ikm)
      throws Exception {
    return hmac(
        salt.length == 0 ? new byte[32] : salt, concat(ascii("HPKE-v1"), suite, ascii(label), ikm));
  }

  static byte[] labeledExpand(byte[] suite, byte[] prk, String label, byte[] info, int len)
      throws Exception {
    byte[] labeledInfo =
        concat(new byte[] {0, (byte) len}, ascii("HPKE-v1"), suite, ascii(label), info);
    ByteArrayOutputStream okm = new ByteArrayOutputStream();
    byte[] t = new byte[0];
    for (int i = 1; okm.size() < len; i++) {
      t = hmac(prk, concat(t, labeledInfo, new byte[] {(byte) i}));
      okm.write(t, 0, t.length);
    }
    return Arrays.copyOf(okm.toByteArray(), len);
  }

  static byte[] hmac(byte[] key, byte[] data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data);
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.write(p, 0, p.length);
    }
    return out.toByteArray();
  }
}
