package io.prosima.imaging.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TamperedRegionTest {
  private static final double N = Double.NaN;

  @Test
  void aWeakTileIsNamedOnlyNextToAStrongOneAndGrowthFollowsChains() {
    // 4x4 grid: tile 5 strong; 6 weak (neighbour), 7 weak (neighbour of 6), 15 weak (isolated).
    double[] d = {N, N, N, N, N, 0.02, 0.001, 0.001, N, N, N, N, N, N, N, 0.003};
    assertEquals(List.of(5, 6, 7), TamperedRegion.flagged(d, 4, 0.005, 0));
    // A diagonal neighbour counts (an edit across a tile corner).
    double[] corner = {0.02, N, N, N, N, 0.001, N, N, N, N, N, N, N, N, N, N};
    assertEquals(List.of(0, 5), TamperedRegion.flagged(corner, 4, 0.005, 0));
    // Weak tiles alone name nothing: no false alarm is added to a clean image.
    double[] weak = {0.004, 0.004, N, N, N, N, N, N, N, N, N, N, N, N, N, 0.004};
    assertEquals(List.of(), TamperedRegion.flagged(weak, 4, 0.005, 0));
    // Neighbours wrap neither across rows nor columns.
    double[] edge = {N, N, N, 0.02, 0.001, N, N, N, N, N, N, N, N, N, N, N};
    assertEquals(List.of(3), TamperedRegion.flagged(edge, 4, 0.005, 0));
  }

  @Test
  void badGridsAndThresholdsAreRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> TamperedRegion.flagged(new double[15], 4, 1, 0));
    assertThrows(
        IllegalArgumentException.class, () -> TamperedRegion.flagged(new double[16], 4, 0, 1));
  }
}
