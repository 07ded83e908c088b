package io.prosima.imaging.erasure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class Gf256Test {
  /** Shift-and-add multiplication reduced by 0x11D, independent of the tables. */
  private static int carrylessMul(int a, int b) {
    int p = 0;
    while (b != 0) {
      if ((b & 1) != 0) {
        p ^= a;
      }
      a <<= 1;
      if ((a & 0x100) != 0) {
        a ^= 0x11D;
      }
      b >>= 1;
    }
    return p;
  }

  @Test
  void everyTableProductMatchesShiftAndAddMultiplication() {
    for (int a = 0; a < 256; a++) {
      for (int b = 0; b < 256; b++) {
        assertEquals(carrylessMul(a, b), Gf256.mul(a, b), a + "·" + b);
      }
    }
  }

  @Test
  void everyNonZeroElementTimesItsInverseIsOne() {
    for (int a = 1; a < 256; a++) {
      assertEquals(1, Gf256.mul(a, Gf256.inv(a)), "a=" + a);
    }
    assertThrows(ArithmeticException.class, () -> Gf256.inv(0));
  }

  @Test
  void powersAgreeWithRepeatedMultiplication() {
    for (int a = 0; a < 256; a++) {
      int acc = 1;
      for (int n = 0; n < 300; n++) {
        assertEquals(acc, Gf256.pow(a, n), a + "^" + n);
        acc = Gf256.mul(acc, a);
      }
    }
  }
}
