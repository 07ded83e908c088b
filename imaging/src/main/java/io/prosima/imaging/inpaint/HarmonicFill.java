package io.prosima.imaging.inpaint;

/**
 * The classical baseline for lost tiles: harmonic fill, the solution of Laplace's equation inside
 * the lost region with the known pixels around it as boundary values.
 *
 * <p>Discretely, every lost pixel equals the mean of its 4-neighbours inside the image: known
 * neighbours are Dirichlet values, and at the image border missing neighbours are simply left out
 * (a zero-flux, Neumann edge). This is a symmetric positive definite system when every connected
 * lost region touches a known pixel; it is solved by conjugate gradients. A function linear in x
 * and y has zero discrete Laplacian, so a lost region surrounded by a linear ramp gets the ramp
 * back. A lost region with no known neighbour at all (e.g. every tile lost) is filled with zeros.
 */
public final class HarmonicFill {
  /** Conjugate gradient stops when the residual norm falls below this fraction of the rhs norm. */
  static final double RELATIVE_RESIDUAL_MAX = 1e-7;

  /** Iterations at most per unknown-count square root, a generous multiple of CG's needs here. */
  static final int ITERATIONS_PER_SQRT_UNKNOWNS = 40;

  private HarmonicFill() {}

  /**
   * {@code pixels} (row-major, {@code width} x {@code height}) with every pixel where {@code lost}
   * is true replaced by the harmonic fill; the other pixels are returned unchanged.
   */
  public static float[] fill(float[] pixels, int width, int height, boolean[] lost) {
    if (pixels.length != width * height || lost.length != pixels.length) {
      throw new IllegalArgumentException("pixels and mask must both be " + width + "x" + height);
    }
    int[] unknownOf = new int[pixels.length];
    int n = 0;
    for (int i = 0; i < pixels.length; i++) {
      unknownOf[i] = lost[i] ? n++ : -1;
    }
    float[] out = pixels.clone();
    if (n == 0) {
      return out;
    }
    int[] pixelOf = new int[n];
    double[] diag = new double[n];
    double[] rhs = new double[n];
    // Up to 4 unknown neighbours per unknown; -1 where there is none.
    int[] nbr = new int[4 * n];
    java.util.Arrays.fill(nbr, -1);
    int[] dx = {1, -1, 0, 0};
    int[] dy = {0, 0, 1, -1};
    for (int i = 0; i < pixels.length; i++) {
      int u = unknownOf[i];
      if (u < 0) {
        continue;
      }
      pixelOf[u] = i;
      int x = i % width;
      int y = i / width;
      for (int k = 0; k < 4; k++) {
        int nx = x + dx[k];
        int ny = y + dy[k];
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) {
          continue;
        }
        diag[u]++;
        int j = ny * width + nx;
        if (unknownOf[j] >= 0) {
          nbr[4 * u + k] = unknownOf[j];
        } else {
          rhs[u] += pixels[j];
        }
      }
    }
    double[] v = solve(diag, nbr, rhs, n);
    for (int u = 0; u < n; u++) {
      out[pixelOf[u]] = (float) v[u];
    }
    return out;
  }

  /** Conjugate gradients on A v = rhs, A = diag - adjacency among unknowns. */
  private static double[] solve(double[] diag, int[] nbr, double[] rhs, int n) {
    double[] v = new double[n];
    double[] r = rhs.clone();
    double[] p = r.clone();
    double[] ap = new double[n];
    double rr = dot(r, r);
    double stop = RELATIVE_RESIDUAL_MAX * RELATIVE_RESIDUAL_MAX * rr;
    int iterationsMax = ITERATIONS_PER_SQRT_UNKNOWNS * (int) Math.ceil(Math.sqrt(n)) + 100;
    for (int it = 0; it < iterationsMax && rr > stop; it++) {
      for (int u = 0; u < n; u++) {
        double s = diag[u] * p[u];
        for (int k = 0; k < 4; k++) {
          int q = nbr[4 * u + k];
          if (q >= 0) {
            s -= p[q];
          }
        }
        ap[u] = s;
      }
      double pap = dot(p, ap);
      if (!(pap > 0)) {
        break; // a region with no known neighbour: A is singular there and rhs is zero
      }
      double alpha = rr / pap;
      for (int u = 0; u < n; u++) {
        v[u] += alpha * p[u];
        r[u] -= alpha * ap[u];
      }
      double rrNew = dot(r, r);
      double beta = rrNew / rr;
      rr = rrNew;
      for (int u = 0; u < n; u++) {
        p[u] = r[u] + beta * p[u];
      }
    }
    return v;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
