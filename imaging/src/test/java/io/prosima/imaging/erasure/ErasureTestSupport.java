package io.prosima.imaging.erasure;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

final class ErasureTestSupport {
  private ErasureTestSupport() {}

  /** k distinct indices from 0..n-1, ascending. */
  static int[] randomSubset(Random rnd, int n, int k) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(i);
    }
    java.util.Collections.shuffle(all, rnd);
    return all.subList(0, k).stream().sorted().mapToInt(Integer::intValue).toArray();
  }

  static List<byte[]> pick(byte[][] fragments, int[] rows) {
    List<byte[]> out = new ArrayList<>();
    for (int i : rows) {
      out.add(fragments[i]);
    }
    return out;
  }
}
