package io.prosima.imaging.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TileCipherTest {
  private static final TilePosition POS = new TilePosition("prosima-test", "img-1", 3);
  private final SecureRandom random = new SecureRandom();
  private final DataKey key = DataKey.generate(random);
  private final TileCipher cipher = new TileCipher(key, random);

  private static byte[] tile(long seed, int n) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void decryptingAnEncryptedTileReturnsTheOriginalBytes() throws Exception {
    for (int n : new int[] {0, 1, 15, 16, 17, 8192, 131072}) {
      byte[] plain = tile(n, n);
      byte[] enc = cipher.encrypt(POS, plain);
      assertTrue(enc.length == n + TileCipher.OVERHEAD_BYTES, "length for n=" + n);
      assertArrayEquals(plain, cipher.decrypt(POS, enc), "n=" + n);
    }
  }

  @Test
  void encryptingASliceEncryptsOnlyThoseBytes() throws Exception {
    byte[] buf = tile(7, 100);
    byte[] enc = cipher.encrypt(POS, buf, 10, 50);
    assertArrayEquals(Arrays.copyOfRange(buf, 10, 60), cipher.decrypt(POS, enc));
  }

  @Test
  void twoEncryptionsOfOneTileUseDifferentNoncesAndCiphertexts() {
    byte[] plain = tile(1, 4096);
    byte[] a = cipher.encrypt(POS, plain);
    byte[] b = cipher.encrypt(POS, plain);
    assertFalse(Arrays.equals(a, 1, 1 + TileCipher.NONCE_BYTES, b, 1, 1 + TileCipher.NONCE_BYTES));
    assertFalse(Arrays.equals(a, b));
  }

  @Test
  void aTileMovedToAnotherTileIndexFailsAuthentication() {
    byte[] enc = cipher.encrypt(POS, tile(2, 1000));
    assertThrows(
        TileAuthenticationException.class,
        () -> cipher.decrypt(new TilePosition("prosima-test", "img-1", 4), enc));
  }

  @Test
  void aTileMovedToAnotherImageOrChainFailsAuthentication() {
    byte[] enc = cipher.encrypt(POS, tile(3, 1000));
    assertThrows(
        TileAuthenticationException.class,
        () -> cipher.decrypt(new TilePosition("prosima-test", "img-2", 3), enc));
    assertThrows(
        TileAuthenticationException.class,
        () -> cipher.decrypt(new TilePosition("other-chain", "img-1", 3), enc));
  }

  @Test
  void fieldBoundariesInTheAadCannotBeShiftedBetweenChainAndImageIds() {
    TilePosition a = new TilePosition("ab", "c", 0);
    TilePosition b = new TilePosition("a", "bc", 0);
    assertFalse(Arrays.equals(a.aad(1), b.aad(1)));
    byte[] enc = cipher.encrypt(a, tile(4, 64));
    assertThrows(TileAuthenticationException.class, () -> cipher.decrypt(b, enc));
  }

  @Test
  void aWrongKeyFailsAuthenticationInsteadOfReturningGarbage() {
    byte[] enc = cipher.encrypt(POS, tile(5, 1000));
    TileCipher other = new TileCipher(DataKey.generate(random), random);
    TileAuthenticationException e =
        assertThrows(TileAuthenticationException.class, () -> other.decrypt(POS, enc));
    assertTrue(e.getMessage().contains("failed authentication"), e.getMessage());
  }

  @Test
  void flippingAnyBitOfNonceCiphertextOrTagFailsAuthentication() {
    byte[] enc = cipher.encrypt(POS, tile(6, 300));
    for (int i = 0; i < enc.length; i++) {
      byte[] bad = enc.clone();
      bad[i] ^= (byte) (1 << (i % 8));
      int at = i;
      assertThrows(TileAuthenticationException.class, () -> cipher.decrypt(POS, bad), "byte " + at);
    }
  }

  @Test
  void truncatedOrUnknownVersionTilesAreRefused() {
    byte[] enc = cipher.encrypt(POS, tile(8, 100));
    assertThrows(
        TileAuthenticationException.class,
        () -> cipher.decrypt(POS, Arrays.copyOf(enc, TileCipher.OVERHEAD_BYTES - 1)));
    assertThrows(
        TileAuthenticationException.class,
        () -> cipher.decrypt(POS, Arrays.copyOf(enc, enc.length - 1)));
    byte[] v2 = enc.clone();
    v2[0] = 2;
    assertThrows(TileAuthenticationException.class, () -> cipher.decrypt(POS, v2));
  }

  @Test
  void positionsOutsideTheLimitsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new TilePosition("", "img", 0));
    assertThrows(IllegalArgumentException.class, () -> new TilePosition("c", "img", -1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TilePosition("c", "img", TilePosition.TILE_INDEX_MAX + 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TilePosition("c", "x".repeat(TilePosition.IMAGE_ID_BYTES_MAX + 1), 0));
  }

  @Test
  void keyBytesNeverAppearInToString() {
    String hex = HexFormat.of().formatHex(key.copyBytes());
    assertFalse(key.toString().contains(hex));
    assertFalse(cipher.toString().contains(hex));
    assertFalse(key.toString().toLowerCase().contains(hex.substring(0, 8)));
  }

  @Test
  void aDestroyedKeyCannotBeUsed() {
    DataKey k = DataKey.generate(random);
    k.destroy();
    assertThrows(IllegalStateException.class, k::copyBytes);
    assertThrows(IllegalStateException.class, () -> new TileCipher(k, random));
  }
}
