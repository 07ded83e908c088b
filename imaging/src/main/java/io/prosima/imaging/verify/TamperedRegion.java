package io.prosima.imaging.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * Which tiles an edit covers: hysteresis on the tiles' block deviations, as an edge detector
 * follows a strong edge into weak pixels. A tile above the primary threshold is tampered; a tile
 * above the secondary (lower) threshold is tampered too when a neighbour (8-connected) is, so an
 * edit that crosses a tile border is named in the tile where it is only a thin sliver.
 *
 * <p>The secondary rule never adds a false alarm to an image that had none: it fires only next to a
 * tile already called tampered. It only changes which tiles are named.
 */
public final class TamperedRegion {
  private TamperedRegion() {}

  /**
   * Tiles (row-major on a grid {@code cols} wide) whose deviation is above {@code primary}, grown
   * into neighbours above {@code secondary}; NaN deviations (tile not compared) are never flagged.
   * Ascending.
   *
   * @throws IllegalArgumentException if {@code cols} does not divide the tile count or secondary is
   *     above primary
   */
  public static List<Integer> flagged(
      double[] deviations, int cols, double primary, double secondary) {
    if (cols < 1 || deviations.length % cols != 0) {
      throw new IllegalArgumentException(
          deviations.length + " tiles do not fill rows of " + cols + " columns");
    }
    if (!(secondary <= primary)) {
      throw new IllegalArgumentException("secondary threshold must not exceed the primary one");
    }
    int n = deviations.length;
    int rows = n / cols;
    boolean[] flag = new boolean[n];
    List<Integer> frontier = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (deviations[i] > primary) {
        flag[i] = true;
        frontier.add(i);
      }
    }
    while (!frontier.isEmpty()) {
      int i = frontier.remove(frontier.size() - 1);
      int r = i / cols;
      int c = i % cols;
      for (int dr = -1; dr <= 1; dr++) {
        for (int dc = -1; dc <= 1; dc++) {
          int rr = r + dr;
          int cc = c + dc;
          if (rr < 0 || rr >= rows || cc < 0 || cc >= cols) {
            continue;
          }
          int j = rr * cols + cc;
          if (!flag[j] && deviations[j] > secondary) {
            flag[j] = true;
            frontier.add(j);
          }
        }
      }
    }
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (flag[i]) {
        out.add(i);
      }
    }
    return out;
  }
}
