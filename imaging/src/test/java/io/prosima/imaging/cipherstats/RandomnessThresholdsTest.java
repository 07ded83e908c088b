package io.prosima.imaging.cipherstats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RandomnessThresholdsTest {
  private static final long PIXELS_256 = 256L * 256;

  @Test
  void theInverseNormalCdfMatchesKnownQuantiles() {
    assertEquals(1.6448536269514722, NormalQuantile.inverseCdf(0.95), 1e-8);
    assertEquals(1.959963984540054, NormalQuantile.inverseCdf(0.975), 1e-8);
    assertEquals(2.5758293035489004, NormalQuantile.inverseCdf(0.995), 1e-8);
    assertEquals(3.2905267314918945, NormalQuantile.inverseCdf(0.9995), 1e-8);
    assertEquals(-1.959963984540054, NormalQuantile.inverseCdf(0.025), 1e-8);
    assertEquals(0.0, NormalQuantile.inverseCdf(0.5), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> NormalQuantile.inverseCdf(0));
  }

  @Test
  void npcrCriticalValueFor256By256MatchesWuNoonanAgaianTable() {
    assertEquals(99.5693, 100 * RandomnessThresholds.npcrCritical(PIXELS_256, 255, 0.05), 0.00005);
    assertEquals(99.6094, 100 * RandomnessThresholds.npcrExpected(255), 0.00005);
  }

  @Test
  void uaciIntervalFor256By256MatchesWuNoonanAgaianTable() {
    double[] iv = RandomnessThresholds.uaciInterval(PIXELS_256, 255, 0.05);
    assertEquals(33.2824, 100 * iv[0], 0.00005);
    assertEquals(33.6447, 100 * iv[1], 0.00005);
    assertEquals(33.4635, 100 * RandomnessThresholds.uaciExpected(255), 0.00005);
  }
}
