package io.prosima.imaging.hashcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HammingIndexTest {
  private static byte[] randomCode(Random r) {
    byte[] c = new byte[16];
    r.nextBytes(c);
    return c;
  }

  /** A code with {@code bits} distinct random bits of {@code code} flipped. */
  private static byte[] flip(byte[] code, int bits, Random r) {
    byte[] out = code.clone();
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < 128; i++) {
      positions.add(i);
    }
    java.util.Collections.shuffle(positions, r);
    for (int i = 0; i < bits; i++) {
      int p = positions.get(i);
      out[p >>> 3] ^= (byte) (0x80 >>> (p & 7));
    }
    return out;
  }

  /** The k nearest by a plain scan, ties by insertion order: what the index must equal. */
  private static List<HammingIndex.Match> bruteForce(List<byte[]> codes, byte[] q, int k) {
    List<HammingIndex.Match> all = new ArrayList<>();
    for (int i = 0; i < codes.size(); i++) {
      all.add(new HammingIndex.Match(i, HashCoder.distance(codes.get(i), q)));
    }
    all.sort(
        Comparator.comparingInt(HammingIndex.Match::distance)
            .thenComparingInt(HammingIndex.Match::item));
    return all.subList(0, Math.min(k, all.size()));
  }

  @Test
  void searchEqualsABruteForceScanOnRandomAndNearDuplicateCodes() {
    long seed = 1616;
    Random r = new Random(seed);
    HammingIndex index = new HammingIndex();
    List<byte[]> codes = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      // Clusters of near duplicates among random codes, so that every probing radius is used.
      byte[] c =
          i % 5 == 0 || codes.isEmpty()
              ? randomCode(r)
              : flip(codes.get(r.nextInt(codes.size())), r.nextInt(40), r);
      codes.add(c);
      index.add(c);
    }
    for (int q = 0; q < 300; q++) {
      byte[] query =
          q % 3 == 0 ? randomCode(r) : flip(codes.get(r.nextInt(codes.size())), r.nextInt(30), r);
      int k = 1 + r.nextInt(20);
      assertEquals(
          bruteForce(codes, query, k),
          index.search(query, k, i -> true),
          "seed " + seed + " query " + q);
    }
  }

  @Test
  void anInvisibleItemIsNeverReturnedAndTheNearestVisibleOnesAre() {
    Random r = new Random(7);
    HammingIndex index = new HammingIndex();
    List<byte[]> codes = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      codes.add(randomCode(r));
      index.add(codes.get(i));
    }
    byte[] query = codes.get(10).clone();
    // Only odd items are visible; the exact match (item 10) is hidden.
    List<HammingIndex.Match> found = index.search(query, 5, i -> i % 2 == 1);
    List<byte[]> odd = new ArrayList<>();
    for (int i = 1; i < codes.size(); i += 2) {
      odd.add(codes.get(i));
    }
    List<HammingIndex.Match> expected =
        bruteForce(odd, query, 5).stream()
            .map(m -> new HammingIndex.Match(2 * m.item() + 1, m.distance()))
            .toList();
    assertEquals(expected, found);
    assertTrue(found.stream().allMatch(m -> m.item() % 2 == 1));
    assertTrue(index.search(query, 5, i -> false).isEmpty());
  }

  @Test
  void moreMatchesThanItemsGivesEveryItem() {
    Random r = new Random(3);
    HammingIndex index = new HammingIndex();
    for (int i = 0; i < 7; i++) {
      index.add(randomCode(r));
    }
    assertEquals(7, index.search(randomCode(r), 100, i -> true).size());
  }

  @Test
  void codesOfAnotherLengthAndNonPositiveKAreRefused() {
    HammingIndex index = new HammingIndex();
    assertThrows(IllegalArgumentException.class, () -> index.add(new byte[15]));
    assertThrows(IllegalArgumentException.class, () -> index.search(new byte[17], 1, i -> true));
    assertThrows(IllegalArgumentException.class, () -> index.search(new byte[16], 0, i -> true));
    assertEquals(0, index.size());
  }
}
