package io.prosima.testnet.sim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.proto.v1.Genesis;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Scenarios keep Byzantine validators where the overlay's guarantee holds: the honest ones stay
 * connected through honest links. Seed 139 of the first soak put two validators that never read
 * where they cut the honest five of seven apart, and no block was ever committed.
 */
class ScenariosTest {
  @Test
  void twoSilentValidatorsCanCutTheHonestOnesApartInTheSevenValidatorOverlay() {
    long[] weights = new long[7];
    Arrays.fill(weights, 1);
    Genesis genesis = SimGenesis.build(weights).genesis();
    ByzantineMode[] modes = new ByzantineMode[7];
    Arrays.fill(modes, ByzantineMode.HONEST);
    assertTrue(Scenarios.honestOverlayConnected(genesis, modes));
    modes[0] = ByzantineMode.NEVER_READS;
    modes[3] = ByzantineMode.NEVER_READS;
    assertFalse(Scenarios.honestOverlayConnected(genesis, modes));
  }

  @Test
  void everyScenarioKeepsTheHonestValidatorsConnected() {
    for (long seed = 0; seed < 300; seed++) {
      SimConfig c = Scenarios.forSeed(seed);
      Genesis genesis = SimGenesis.build(c.weights()).genesis();
      assertTrue(Scenarios.honestOverlayConnected(genesis, c.byzantine()), c.toString());
    }
  }
}
