package io.prosima.imaging.erasure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.prosima.imaging.crypto.DataKey;
import io.prosima.imaging.crypto.TileAuthenticationException;
import io.prosima.imaging.crypto.TileCipher;
import io.prosima.imaging.crypto.TilePosition;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a node or client does with fragment and encrypted-tile bytes it fetched from others: {@link
 * ReedSolomon#inspect} and {@link ReedSolomon#decode}, then {@link TileCipher#decrypt}. Foreign
 * bytes must be refused cleanly (empty, InsufficientFragmentsException,
 * TileAuthenticationException); damaged copies of real ones must decode to the original when r
 * intact fragments remain, and a tile must decrypt only when not one bit of it, its key or its
 * position changed.
 *
 * <p>The mode is the last input byte: 0 one foreign fragment, 1 damaged fragments of fuzzed data, 2
 * a foreign encrypted tile, 3 a tampered encrypted tile.
 */
class FragmentFuzzTest {
  private static final TilePosition POSITION = new TilePosition("fuzz-chain", "img-1", 3);
  private static final TileCipher CIPHER =
      new TileCipher(DataKey.fromBytes(key((byte) 7)), new SecureRandom());
  private static final int FRAGMENTS_MAX = 8;
  private static final int DATA_BYTES_MAX = 4096;

  private static byte[] key(byte fill) {
    byte[] k = new byte[DataKey.KEY_BYTES];
    Arrays.fill(k, fill);
    return k;
  }

  @FuzzTest
  void fragments(FuzzedDataProvider data) throws Exception {
    switch (data.consumeInt(0, 3)) {
      case 0 -> foreignFragment(data.consumeRemainingAsBytes());
      case 1 -> damagedFragments(data);
      case 2 ->
          assertThrows(
              TileAuthenticationException.class,
              () -> CIPHER.decrypt(POSITION, data.consumeRemainingAsBytes()),
              "a tile nobody encrypted under this key decrypted");
      default -> tamperedTile(data);
    }
  }

  private static void foreignFragment(byte[] fragment) throws InsufficientFragmentsException {
    Optional<FragmentInfo> info = ReedSolomon.inspect(fragment);
    if (info.isEmpty()) {
      assertThrows(
          InsufficientFragmentsException.class,
          () -> new ReedSolomon(1, 1).decode(List.of(fragment)));
      return;
    }
    FragmentInfo f = info.get();
    assertTrue(1 <= f.r() && f.r() <= f.s() && f.index() < f.s(), f.toString());
    ReedSolomon code = new ReedSolomon(f.r(), f.s());
    assertEquals(ReedSolomon.HEADER_BYTES + code.shardBytes(f.dataLength()), fragment.length);
    if (f.r() == 1) {
      assertEquals(f.dataLength(), code.decode(List.of(fragment)).length);
    } else {
      assertThrows(InsufficientFragmentsException.class, () -> code.decode(List.of(fragment)));
    }
  }

  private static void damagedFragments(FuzzedDataProvider data) throws Exception {
    int r = data.consumeInt(1, FRAGMENTS_MAX);
    int s = data.consumeInt(r, FRAGMENTS_MAX);
    int dropped = data.consumeInt();
    int corrupted = data.consumeInt();
    byte[] original = data.consumeBytes(DATA_BYTES_MAX);
    ReedSolomon code = new ReedSolomon(r, s);
    byte[][] fragments = code.encode(original);
    List<byte[]> offered = new ArrayList<>();
    int intact = 0;
    for (int i = 0; i < s; i++) {
      if ((dropped >>> i & 1) == 1) {
        continue;
      }
      byte[] f = fragments[i];
      if ((corrupted >>> i & 1) == 1) {
        f = f.clone();
        int at = data.consumeInt(0, f.length - 1);
        f[at] ^= (byte) (data.consumeInt(1, 255));
      } else {
        intact++;
      }
      offered.add(f);
    }
    offered.add(data.consumeRemainingAsBytes()); // and one foreign fragment
    if (intact >= r) {
      assertArrayEquals(original, code.decode(offered), r + "-of-" + s + ", " + intact + " intact");
    } else {
      assertThrows(InsufficientFragmentsException.class, () -> code.decode(offered));
    }
  }

  private static void tamperedTile(FuzzedDataProvider data) throws Exception {
    int change = data.consumeInt(0, 4);
    int at = data.consumeInt();
    byte flip = (byte) data.consumeInt(1, 255);
    byte[] plaintext = data.consumeRemainingAsBytes();
    byte[] tile = CIPHER.encrypt(POSITION, plaintext);
    TilePosition position = POSITION;
    TileCipher cipher = CIPHER;
    switch (change) {
      case 0 -> {
        assertArrayEquals(plaintext, CIPHER.decrypt(POSITION, tile));
        return;
      }
      case 1 -> tile[Math.floorMod(at, tile.length)] ^= flip;
      case 2 -> tile = Arrays.copyOf(tile, Math.floorMod(at, tile.length));
      case 3 -> position = new TilePosition("fuzz-chain", "img-1", 4);
      default -> cipher = new TileCipher(DataKey.fromBytes(key(flip)), new SecureRandom());
    }
    byte[] changed = tile;
    TilePosition where = position;
    TileCipher with = cipher;
    if (change == 4 && flip == 7) {
      assertArrayEquals(plaintext, with.decrypt(where, changed)); // the same key after all
      return;
    }
    assertThrows(
        TileAuthenticationException.class,
        () -> with.decrypt(where, changed),
        "a changed tile decrypted (change " + change + ")");
  }
}
