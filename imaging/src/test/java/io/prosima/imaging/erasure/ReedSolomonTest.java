package io.prosima.imaging.erasure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReedSolomonTest {
  private static final long SEED = 0x5EED_F4A6L;

  private static byte[] randomData(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  @Test
  void everyRSubsetRebuildsTheInputForAllSmallCodes() throws Exception {
    Random rnd = new Random(SEED);
    for (int s = 1; s <= 8; s++) {
      for (int r = 1; r <= s; r++) {
        ReedSolomon rs = new ReedSolomon(r, s);
        // Include 0, lengths below r, and lengths not divisible by r.
        for (int len : new int[] {0, 1, r - 1, r + 1, 7 * r + 3, 1000 + rnd.nextInt(500)}) {
          if (len < 0) {
            continue;
          }
          byte[] data = randomData(rnd, len);
          byte[][] frags = rs.encode(data);
          int rr = r;
          int ss = s;
          GeneratorMatrixTest.forEachSubset(
              s,
              r,
              rows -> {
                try {
                  assertArrayEquals(
                      data,
                      rs.decode(ErasureTestSupport.pick(frags, rows)),
                      "seed="
                          + SEED
                          + " r="
                          + rr
                          + " s="
                          + ss
                          + " len="
                          + len
                          + " rows="
                          + Arrays.toString(rows));
                } catch (InsufficientFragmentsException e) {
                  throw new AssertionError("seed=" + SEED + " r=" + rr + " s=" + ss, e);
                }
              });
        }
      }
    }
  }

  @Test
  void sampledRSubsetsRebuildTheInputForRandomLargerCodes() throws Exception {
    Random rnd = new Random(SEED + 1);
    for (int trial = 0; trial < 60; trial++) {
      int s = 9 + rnd.nextInt(40);
      int r = 1 + rnd.nextInt(s);
      ReedSolomon rs = new ReedSolomon(r, s);
      byte[] data = randomData(rnd, rnd.nextInt(5000));
      byte[][] frags = rs.encode(data);
      for (int k = 0; k < 10; k++) {
        int[] rows = ErasureTestSupport.randomSubset(rnd, s, r);
        assertArrayEquals(
            data,
            rs.decode(ErasureTestSupport.pick(frags, rows)),
            "seed=" + (SEED + 1) + " trial=" + trial + " r=" + r + " s=" + s);
      }
    }
  }

  @Test
  void codesWith255FragmentsRebuildSmallInputsFromAnyRFragments() throws Exception {
    Random rnd = new Random(SEED + 2);
    for (int r : new int[] {1, 2, 100, 254, 255}) {
      ReedSolomon rs = new ReedSolomon(r, 255);
      byte[] data = randomData(rnd, 3 * r + 1);
      byte[][] frags = rs.encode(data);
      for (int k = 0; k < 3; k++) {
        int[] rows = ErasureTestSupport.randomSubset(rnd, 255, r);
        assertArrayEquals(
            data,
            rs.decode(ErasureTestSupport.pick(frags, rows)),
            "seed=" + (SEED + 2) + " r=" + r);
      }
    }
  }

  @Test
  void rMinusOneFragmentsNeverRebuild() {
    Random rnd = new Random(SEED + 3);
    for (int trial = 0; trial < 100; trial++) {
      int s = 2 + rnd.nextInt(20);
      int r = 2 + rnd.nextInt(s - 1);
      ReedSolomon rs = new ReedSolomon(r, s);
      byte[][] frags = rs.encode(randomData(rnd, rnd.nextInt(300)));
      List<byte[]> few =
          ErasureTestSupport.pick(frags, ErasureTestSupport.randomSubset(rnd, s, r - 1));
      // Duplicates of the same fragment must not count twice.
      few.add(few.get(0).clone());
      int t = trial;
      assertThrows(
          InsufficientFragmentsException.class,
          () -> rs.decode(few),
          "seed=" + (SEED + 3) + " trial=" + t + " r=" + r + " s=" + s);
    }
  }

  @Test
  void aFragmentWithAFlippedByteIsDetectedAndTreatedAsMissing() throws Exception {
    Random rnd = new Random(SEED + 4);
    for (int trial = 0; trial < 200; trial++) {
      int s = 2 + rnd.nextInt(12);
      int r = 1 + rnd.nextInt(s - 1);
      ReedSolomon rs = new ReedSolomon(r, s);
      byte[] data = randomData(rnd, rnd.nextInt(400));
      byte[][] frags = rs.encode(data);
      int[] rows = ErasureTestSupport.randomSubset(rnd, s, r + 1);
      int victim = rows[rnd.nextInt(rows.length)];
      byte[] bad = frags[victim].clone();
      int at = rnd.nextInt(bad.length);
      bad[at] ^= (byte) (1 + rnd.nextInt(255));
      String where =
          "seed=" + (SEED + 4) + " trial=" + trial + " r=" + r + " s=" + s + " byte=" + at;
      assertTrue(ReedSolomon.inspect(bad).isEmpty(), where);

      List<byte[]> withSpare = new ArrayList<>();
      List<byte[]> withoutSpare = new ArrayList<>();
      for (int i : rows) {
        withSpare.add(i == victim ? bad : frags[i]);
        if (withoutSpare.size() < r || i == victim) {
          withoutSpare.add(i == victim ? bad : frags[i]);
        }
      }
      // r+1 offered, one corrupted: r valid remain, so it rebuilds.
      assertArrayEquals(data, rs.decode(withSpare), where);
      // Exactly r offered including the corrupted one: only r-1 valid, so it must refuse.
      while (withoutSpare.size() > r) {
        withoutSpare.remove(withoutSpare.get(0) == bad ? 1 : 0);
      }
      assertThrows(InsufficientFragmentsException.class, () -> rs.decode(withoutSpare), where);
    }
  }

  @Test
  void fragmentsOfAnotherCodeAreIgnored() {
    byte[] data = new byte[100];
    byte[][] a = new ReedSolomon(2, 4).encode(data);
    byte[][] b = new ReedSolomon(3, 4).encode(data);
    ReedSolomon rs = new ReedSolomon(3, 4);
    assertThrows(
        InsufficientFragmentsException.class, () -> rs.decode(List.of(a[0], a[1], a[2], b[3])));
  }

  @Test
  void headersRecordIndexParametersAndLength() {
    byte[][] frags = new ReedSolomon(3, 5).encode(new byte[10]);
    for (int i = 0; i < 5; i++) {
      assertEquals(new FragmentInfo(i, 3, 5, 10), ReedSolomon.inspect(frags[i]).orElseThrow());
      // ceil(10 / 3) = 4 bytes, rounded up to eight equal bit-plane packets.
      assertEquals(ReedSolomon.HEADER_BYTES + 8, frags[i].length);
    }
    assertEquals(5L * (ReedSolomon.HEADER_BYTES + 8), new ReedSolomon(3, 5).storedBytes(10));
  }

  @Test
  void theFirstRFragmentsCarryTheInputItselfZeroPadded() {
    Random rnd = new Random(SEED + 5);
    for (int trial = 0; trial < 50; trial++) {
      int s = 1 + rnd.nextInt(20);
      int r = 1 + rnd.nextInt(s);
      ReedSolomon rs = new ReedSolomon(r, s);
      byte[] data = randomData(rnd, rnd.nextInt(3000));
      byte[][] frags = rs.encode(data);
      int k = rs.shardBytes(data.length);
      byte[] joined = new byte[r * k];
      for (int i = 0; i < r; i++) {
        System.arraycopy(frags[i], ReedSolomon.HEADER_BYTES, joined, i * k, k);
      }
      byte[] padded = Arrays.copyOf(data, r * k);
      assertArrayEquals(padded, joined, "seed=" + (SEED + 5) + " trial=" + trial);
    }
  }

  @Test
  void parametersOutsideOneLessOrEqualRLessOrEqualSLessOrEqual255AreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ReedSolomon(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new ReedSolomon(2, 1));
    assertThrows(IllegalArgumentException.class, () -> new ReedSolomon(1, 0));
    assertThrows(IllegalArgumentException.class, () -> new ReedSolomon(1, 256));
    assertThrows(IllegalArgumentException.class, () -> new ReedSolomon(-1, 5));
  }
}
