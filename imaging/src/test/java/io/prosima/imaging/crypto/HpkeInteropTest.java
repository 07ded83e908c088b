package io.prosima.imaging.crypto;

import static io.prosima.imaging.crypto.Rfc9180VectorTest.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.bouncycastle.crypto.hpke.HPKE;
import org.junit.jupiter.api.Test;

class HpkeInteropTest {
  @Test
  void theIndependentReceiverOpensThePublishedRfc9180Ciphertext() throws Exception {
    byte[] pt =
        IndependentHpke.openBase(
            1,
            hex(Rfc9180VectorTest.SK_RM),
            hex(Rfc9180VectorTest.PK_RM),
            hex(Rfc9180VectorTest.ENC),
            hex(Rfc9180VectorTest.INFO),
            hex(Rfc9180VectorTest.AAD_0),
            hex(Rfc9180VectorTest.CT_0));
    assertArrayEquals(hex(Rfc9180VectorTest.PT), pt);
  }

  @Test
  void theIndependentReceiverOpensOurAes256GcmWrappedKey() throws Exception {
    X25519KeyPair recipient = X25519KeyPair.fromPrivateKey(hex(Rfc9180VectorTest.SK_RM));
    DataKey key = DataKey.fromBytes(hex(Rfc9180VectorTest.EXPORT_EMPTY));
    WrapContext ctx = new WrapContext("chain", "image-9", new byte[] {1, 2, 3});
    HPKE hpke = KeyWrap.suite(HPKE.aead_AES_GCM256);
    byte[] wrapped =
        KeyWrap.wrap(
            key, recipient.publicKey(), ctx, hpke.deriveKeyPair(hex(Rfc9180VectorTest.IKM_E)));
    byte[] opened =
        IndependentHpke.openBase(
            2,
            recipient.privateKey(),
            recipient.publicKey(),
            Arrays.copyOfRange(wrapped, 1, 1 + KeyWrap.ENC_BYTES),
            ctx.info(),
            new byte[] {KeyWrap.FORMAT_VERSION},
            Arrays.copyOfRange(wrapped, 1 + KeyWrap.ENC_BYTES, wrapped.length));
    assertArrayEquals(key.copyBytes(), opened);
  }
}
