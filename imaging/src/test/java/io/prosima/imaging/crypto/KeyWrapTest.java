package io.prosima.imaging.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KeyWrapTest {
  private final SecureRandom random = new SecureRandom();
  private final X25519KeyPair alice = X25519KeyPair.generate(random);
  private final X25519KeyPair bob = X25519KeyPair.generate(random);
  private final DataKey key = DataKey.generate(random);
  private final WrapContext ctx = new WrapContext("chain-a", "image-1", alice.publicKey());

  @Test
  void theGranteeUnwrapsTheSameDataKey() throws Exception {
    byte[] wrapped = KeyWrap.wrap(key, alice.publicKey(), ctx);
    assertEquals(KeyWrap.WRAPPED_BYTES, wrapped.length);
    assertArrayEquals(key.copyBytes(), KeyWrap.unwrap(wrapped, alice, ctx).copyBytes());
  }

  @Test
  void aRawPrivateKeyFromGenesisUnwrapsLikeTheKeyPair() throws Exception {
    byte[] wrapped = KeyWrap.wrap(key, alice.publicKey(), ctx);
    assertArrayEquals(
        key.copyBytes(), KeyWrap.unwrap(wrapped, alice.privateKey(), ctx).copyBytes());
    assertThrows(KeyUnwrapException.class, () -> KeyWrap.unwrap(wrapped, bob.privateKey(), ctx));
  }

  @Test
  void anotherIdentitysKeyCannotUnwrap() {
    byte[] wrapped = KeyWrap.wrap(key, alice.publicKey(), ctx);
    KeyUnwrapException e =
        assertThrows(KeyUnwrapException.class, () -> KeyWrap.unwrap(wrapped, bob, ctx));
    assertFalse(e.getMessage().isEmpty());
  }

  @Test
  void aWrappedKeyPresentedForAnotherChainImageOrGranteeDoesNotOpen() {
    byte[] wrapped = KeyWrap.wrap(key, alice.publicKey(), ctx);
    for (WrapContext other :
        new WrapContext[] {
          new WrapContext("chain-b", "image-1", alice.publicKey()),
          new WrapContext("chain-a", "image-2", alice.publicKey()),
          new WrapContext("chain-a", "image-1", bob.publicKey()),
        }) {
      assertThrows(
          KeyUnwrapException.class, () -> KeyWrap.unwrap(wrapped, alice, other), other.chainId());
    }
  }

  @Test
  void anyAlteredByteOfAWrappedKeyIsRefused() {
    byte[] wrapped = KeyWrap.wrap(key, alice.publicKey(), ctx);
    for (int i = 0; i < wrapped.length; i++) {
      byte[] bad = wrapped.clone();
      bad[i] ^= 0x01;
      int at = i;
      assertThrows(KeyUnwrapException.class, () -> KeyWrap.unwrap(bad, alice, ctx), "byte " + at);
    }
    assertThrows(
        KeyUnwrapException.class,
        () -> KeyWrap.unwrap(Arrays.copyOf(wrapped, wrapped.length - 1), alice, ctx));
  }

  @Test
  void twoWrapsOfOneKeyDifferBecauseEachUsesAFreshEphemeralKey() {
    assertFalse(
        Arrays.equals(
            KeyWrap.wrap(key, alice.publicKey(), ctx), KeyWrap.wrap(key, alice.publicKey(), ctx)));
  }

  @Test
  void malformedPublicKeysAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> KeyWrap.wrap(key, new byte[31], ctx));
    // u = 0 is a low-order point: the shared secret would be all zeros.
    assertThrows(IllegalArgumentException.class, () -> KeyWrap.wrap(key, new byte[32], ctx));
  }

  @Test
  void aKeyPairRebuiltFromItsPrivateKeyHasTheSamePublicKey() {
    assertArrayEquals(
        alice.publicKey(), X25519KeyPair.fromPrivateKey(alice.privateKey()).publicKey());
  }

  @Test
  void privateKeysNeverAppearInToString() {
    String sk = HexFormat.of().formatHex(alice.privateKey());
    assertFalse(alice.toString().contains(sk.substring(0, 16)));
  }
}
