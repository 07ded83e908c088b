package io.prosima.imaging.erasure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GeneratorMatrixTest {
  @Test
  void everyRRowSubsetOfTheGeneratorIsInvertibleForAllSmallCodes() {
    for (int s = 1; s <= 12; s++) {
      for (int r = 1; r <= s; r++) {
        int[][] g = Gf256Matrix.systematicGenerator(r, s);
        int rr = r;
        int ss = s;
        forEachSubset(
            s,
            r,
            rows -> {
              int[][] sub = new int[rr][];
              for (int i = 0; i < rr; i++) {
                sub[i] = g[rows[i]];
              }
              assertDoesNotThrow(
                  () -> Gf256Matrix.invert(sub),
                  "r=" + rr + " s=" + ss + " rows=" + java.util.Arrays.toString(rows));
            });
      }
    }
  }

  @Test
  void randomSubsetsOfLargeGeneratorsAreInvertibleAndInversesAreTwoSided() {
    long seed = 20261122L;
    Random rnd = new Random(seed);
    for (int trial = 0; trial < 40; trial++) {
      int s = 200 + rnd.nextInt(56);
      int r = 1 + rnd.nextInt(Math.min(s, 40));
      int[][] g = Gf256Matrix.systematicGenerator(r, s);
      int[] rows = ErasureTestSupport.randomSubset(rnd, s, r);
      int[][] sub = new int[r][];
      for (int i = 0; i < r; i++) {
        sub[i] = g[rows[i]];
      }
      int[][] product = Gf256Matrix.multiply(sub, Gf256Matrix.invert(sub));
      for (int i = 0; i < r; i++) {
        int[] expected = new int[r];
        expected[i] = 1;
        assertArrayEquals(expected, product[i], "seed=" + seed + " trial=" + trial);
      }
    }
  }

  @Test
  void theGeneratorStartsWithTheIdentity() {
    int[][] g = Gf256Matrix.systematicGenerator(6, 10);
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 6; j++) {
        assertEquals(i == j ? 1 : 0, g[i][j]);
      }
    }
  }

  static void forEachSubset(int n, int k, java.util.function.Consumer<int[]> f) {
    int[] idx = new int[k];
    for (int i = 0; i < k; i++) {
      idx[i] = i;
    }
    while (true) {
      f.accept(idx.clone());
      int i = k - 1;
      while (i >= 0 && idx[i] == n - k + i) {
        i--;
      }
      if (i < 0) {
        return;
      }
      idx[i]++;
      for (int j = i + 1; j < k; j++) {
        idx[j] = idx[j - 1] + 1;
      }
    }
  }
}
