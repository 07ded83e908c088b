package io.prosima.imaging.erasure;

/**
 * Arithmetic in GF(2^8) modulo the primitive polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D), with
 * generator 2, through log/exp tables. {@link #MUL} holds one 256-byte product row per coefficient
 * so the coding loops do one table load per byte instead of two log lookups and a branch.
 */
final class Gf256 {
  static final int FIELD_SIZE = 256;
  private static final int PRIMITIVE_POLY = 0x11D;

  /** EXP[i] = 2^i, doubled in length so EXP[log a + log b] needs no reduction mod 255. */
  static final byte[] EXP = new byte[2 * FIELD_SIZE];

  /** LOG[a] for a != 0; LOG[0] is unused. */
  static final int[] LOG = new int[FIELD_SIZE];

  /** MUL[c][x] = c·x. */
  static final byte[][] MUL = new byte[FIELD_SIZE][FIELD_SIZE];

  static {
    int x = 1;
    for (int i = 0; i < FIELD_SIZE - 1; i++) {
      EXP[i] = (byte) x;
      LOG[x] = i;
      x <<= 1;
      if ((x & 0x100) != 0) {
        x ^= PRIMITIVE_POLY;
      }
    }
    if (x != 1) {
      throw new IllegalStateException("0x11D did not generate GF(2^8) with 2");
    }
    for (int i = FIELD_SIZE - 1; i < EXP.length; i++) {
      EXP[i] = EXP[i - (FIELD_SIZE - 1)];
    }
    for (int c = 0; c < FIELD_SIZE; c++) {
      for (int v = 0; v < FIELD_SIZE; v++) {
        MUL[c][v] = (byte) mulSlow(c, v);
      }
    }
  }

  private Gf256() {}

  private static int mulSlow(int a, int b) {
    if (a == 0 || b == 0) {
      return 0;
    }
    return EXP[LOG[a] + LOG[b]] & 0xff;
  }

  static int mul(int a, int b) {
    return MUL[a][b] & 0xff;
  }

  static int inv(int a) {
    if (a == 0) {
      throw new ArithmeticException("0 has no inverse in GF(2^8)");
    }
    return EXP[(FIELD_SIZE - 1) - LOG[a]] & 0xff;
  }

  /** a^n, with 0^0 = 1 (the Vandermonde convention). */
  static int pow(int a, int n) {
    if (n == 0) {
      return 1;
    }
    if (a == 0) {
      return 0;
    }
    return EXP[(LOG[a] * n) % (FIELD_SIZE - 1)] & 0xff;
  }
}
