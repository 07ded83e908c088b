package io.prosima.imaging.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.HexFormat;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.junit.jupiter.api.Test;

/**
 * RFC 9180 Appendix A.1.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode. The RFC
 * has no X25519 vector with AES-256-GCM, so this runs the published suite through {@link
 * KeyWrap#suite} (same KEM, KDF and mode as ours, AES-128-GCM instead of AES-256-GCM); {@link
 * HpkeInteropTest} then checks our AES-256-GCM wraps against an independent implementation that
 * itself passes these vectors.
 */
class Rfc9180VectorTest {
  static final HexFormat HEX = HexFormat.of();

  static final String INFO = "4f6465206f6e2061204772656369616e2055726e";
  static final String IKM_E = "7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234";
  static final String PK_EM = "37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431";
  static final String SK_EM = "52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736";
  static final String IKM_R = "6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037";
  static final String PK_RM = "3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d";
  static final String SK_RM = "4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8";
  static final String ENC = PK_EM;
  static final String PT = "4265617574792069732074727574682c20747275746820626561757479";
  static final String AAD_0 = "436f756e742d30";
  static final String CT_0 =
      "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a";
  static final String AAD_1 = "436f756e742d31";
  static final String CT_1 =
      "af2d7e9ac9ae7e270f46ba1f975be53c09f8d875bdc8535458c2494e8a6eab251c03d0c22a56b8ca42c2063b84";
  static final String EXPORT_EMPTY =
      "3853fe2b4035195a573ffc53856e77058e15d9ea064de3e59f4961d0095250ee";
  static final String EXPORT_00 =
      "2e8f0b54673c7029649d4eb9d5e33bf1872cf76d623ff164ac185da9e88c21a5";
  static final String EXPORT_TEST_CONTEXT =
      "e9e43065102c3836401bed8c3c3c75ae46be1639869391d62c61f1ec7af54931";

  static byte[] hex(String s) {
    return HEX.parseHex(s);
  }

  @Test
  void deriveKeyPairReproducesThePublishedKeyPairs() {
    HPKE hpke = KeyWrap.suite(HPKE.aead_AES_GCM128);
    AsymmetricCipherKeyPair e = hpke.deriveKeyPair(hex(IKM_E));
    AsymmetricCipherKeyPair r = hpke.deriveKeyPair(hex(IKM_R));
    assertArrayEquals(hex(SK_EM), hpke.serializePrivateKey(e.getPrivate()));
    assertArrayEquals(hex(PK_EM), hpke.serializePublicKey(e.getPublic()));
    assertArrayEquals(hex(SK_RM), hpke.serializePrivateKey(r.getPrivate()));
    assertArrayEquals(hex(PK_RM), hpke.serializePublicKey(r.getPublic()));
  }

  @Test
  void ourX25519KeyPairDerivesThePublishedPublicKeyFromThePrivateKey() {
    assertArrayEquals(hex(PK_RM), X25519KeyPair.fromPrivateKey(hex(SK_RM)).publicKey());
    assertArrayEquals(hex(PK_EM), X25519KeyPair.fromPrivateKey(hex(SK_EM)).publicKey());
  }

  @Test
  void senderWithThePublishedEphemeralKeyProducesThePublishedEncCiphertextsAndExports()
      throws Exception {
    HPKE hpke = KeyWrap.suite(HPKE.aead_AES_GCM128);
    HPKEContextWithEncapsulation s =
        hpke.setupBaseS(
            hpke.deserializePublicKey(hex(PK_RM)), hex(INFO), hpke.deriveKeyPair(hex(IKM_E)));
    assertArrayEquals(hex(ENC), s.getEncapsulation());
    assertArrayEquals(hex(CT_0), s.seal(hex(AAD_0), hex(PT)));
    assertArrayEquals(hex(CT_1), s.seal(hex(AAD_1), hex(PT)));
    assertArrayEquals(hex(EXPORT_EMPTY), s.export(new byte[0], 32));
    assertArrayEquals(hex(EXPORT_00), s.export(hex("00"), 32));
    assertArrayEquals(hex(EXPORT_TEST_CONTEXT), s.export(hex("54657374436f6e74657874"), 32));
  }

  @Test
  void receiverWithThePublishedPrivateKeyOpensThePublishedCiphertexts() throws Exception {
    HPKE hpke = KeyWrap.suite(HPKE.aead_AES_GCM128);
    HPKEContext r =
        hpke.setupBaseR(hex(ENC), hpke.deserializePrivateKey(hex(SK_RM), hex(PK_RM)), hex(INFO));
    assertArrayEquals(hex(PT), r.open(hex(AAD_0), hex(CT_0)));
    assertArrayEquals(hex(PT), r.open(hex(AAD_1), hex(CT_1)));
    assertArrayEquals(hex(EXPORT_EMPTY), r.export(new byte[0], 32));
  }
}
