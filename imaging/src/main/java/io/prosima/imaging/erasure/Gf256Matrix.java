package io.prosima.imaging.erasure;

/** Small dense matrices over GF(2^8): product and Gauss–Jordan inversion. */
final class Gf256Matrix {
  private Gf256Matrix() {}

  /** Vandermonde rows x^0..x^(cols-1) at the distinct points x = 0, 1, …, rows-1. */
  static int[][] vandermonde(int rows, int cols) {
    int[][] v = new int[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        v[i][j] = Gf256.pow(i, j);
      }
    }
    return v;
  }

  static int[][] multiply(int[][] a, int[][] b) {
    int n = a.length;
    int m = b[0].length;
    int inner = b.length;
    int[][] out = new int[n][m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        int acc = 0;
        for (int k = 0; k < inner; k++) {
          acc ^= Gf256.mul(a[i][k], b[k][j]);
        }
        out[i][j] = acc;
      }
    }
    return out;
  }

  /**
   * The inverse of a square matrix.
   *
   * @throws ArithmeticException if it is singular (for our code matrices that is a bug: any r rows
   *     of the systematic Vandermonde-derived matrix are invertible)
   */
  static int[][] invert(int[][] m) {
    int n = m.length;
    int[][] a = new int[n][2 * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(m[i], 0, a[i], 0, n);
      a[i][n + i] = 1;
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      while (pivot < n && a[pivot][col] == 0) {
        pivot++;
      }
      if (pivot == n) {
        throw new ArithmeticException("singular matrix over GF(2^8)");
      }
      int[] t = a[pivot];
      a[pivot] = a[col];
      a[col] = t;
      int invP = Gf256.inv(a[col][col]);
      for (int j = 0; j < 2 * n; j++) {
        a[col][j] = Gf256.mul(a[col][j], invP);
      }
      for (int i = 0; i < n; i++) {
        int f = a[i][col];
        if (i != col && f != 0) {
          for (int j = 0; j < 2 * n; j++) {
            a[i][j] ^= Gf256.mul(f, a[col][j]);
          }
        }
      }
    }
    int[][] inv = new int[n][n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], n, inv[i], 0, n);
    }
    return inv;
  }

  /**
   * The systematic s×r generator: V·(V_top)^-1 for the s×r Vandermonde matrix V at distinct points
   * and its top r×r block V_top. Its top r rows are the identity, and any r of its rows are an
   * invertible matrix (they are r rows of V, invertible as a Vandermonde matrix at distinct points,
   * times the invertible V_top^-1), which is what makes the code MDS: any r fragments rebuild.
   */
  static int[][] systematicGenerator(int r, int s) {
    int[][] v = vandermonde(s, r);
    int[][] top = new int[r][];
    for (int i = 0; i < r; i++) {
      top[i] = v[i].clone();
    }
    int[][] g = multiply(v, invert(top));
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < r; j++) {
        if (g[i][j] != (i == j ? 1 : 0)) {
          throw new IllegalStateException("generator is not systematic at " + i + "," + j);
        }
      }
    }
    return g;
  }
}
