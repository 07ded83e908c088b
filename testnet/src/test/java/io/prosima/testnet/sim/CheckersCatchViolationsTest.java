package io.prosima.testnet.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * The checkers must be able to fail: with Byzantine weight at 1/3 or more (outside the model) Twins
 * double voters split the honest nodes, and agreement is violated for some seed; each sabotage of
 * the model is caught by the checker that guards against it.
 */
class CheckersCatchViolationsTest {
  static final int SEEDS_MAX = 50;

  @Test
  void twoDoubleVotersOfFourEqualValidatorsBreakAgreementAndTheFailureNamesItsSeed() {
    for (long seed = 0; seed < SEEDS_MAX; seed++) {
      ByzantineMode[] modes = {
        ByzantineMode.HONEST,
        ByzantineMode.DOUBLE_VOTER,
        ByzantineMode.HONEST,
        ByzantineMode.DOUBLE_VOTER
      };
      SimConfig c =
          new SimConfig(
              seed,
              new long[] {1, 1, 1, 1},
              modes,
              1,
              20,
              0,
              0,
              false,
              0,
              0,
              0,
              10,
              0,
              10_000,
              Sabotage.BYZANTINE_THIRD_OR_MORE);
      try {
        new Simulation(c).run();
      } catch (SimulationFailure e) {
        assertTrue(e.getMessage().contains("agreement violated"), e.getMessage());
        assertTrue(e.getMessage().contains("-Dprosima.sim.seed=" + seed), e.getMessage());
        return;
      }
    }
    fail("no seed of " + SEEDS_MAX + " broke agreement with half the weight Byzantine");
  }

  @Test
  void honestNodesThatForgetTheirVoteRecordOnRestartAreCaughtDoubleSigning() {
    for (long seed = 0; seed < SEEDS_MAX; seed++) {
      ByzantineMode[] modes = new ByzantineMode[4];
      java.util.Arrays.fill(modes, ByzantineMode.HONEST);
      SimConfig c =
          new SimConfig(
              seed,
              new long[] {1, 1, 1, 1},
              modes,
              1,
              20,
              0.05,
              0,
              false,
              6,
              0,
              3_000,
              5,
              3,
              30_000,
              Sabotage.FORGET_VOTE_RECORD);
      try {
        new Simulation(c).run();
      } catch (SimulationFailure e) {
        if (e.getMessage().contains("double-signed")) {
          assertTrue(e.getMessage().contains("-Dprosima.sim.seed=" + seed), e.getMessage());
          return;
        }
      }
    }
    fail("no seed of " + SEEDS_MAX + " caught a double-signing honest node without its record");
  }

  @Test
  void aProposerThatInjectsATransactionNoClientSubmittedIsCaught() {
    assertCaught(Sabotage.INJECT_UNSUBMITTED_TX, 0, "no client submitted");
  }

  @Test
  void aRestartThatLosesAnAcknowledgedTransactionIsCaught() {
    assertCaught(Sabotage.DROP_ACKED_TX_ON_RESTART, 6, "acknowledged transaction of height");
  }

  /** Four honest equal validators, 5% drops, {@code crashes} crashes in the first 3 s. */
  private static void assertCaught(Sabotage sabotage, int crashes, String expected) {
    for (long seed = 0; seed < SEEDS_MAX; seed++) {
      ByzantineMode[] modes = new ByzantineMode[4];
      java.util.Arrays.fill(modes, ByzantineMode.HONEST);
      SimConfig c =
          new SimConfig(
              seed,
              new long[] {1, 1, 1, 1},
              modes,
              1,
              20,
              0.05,
              0,
              false,
              crashes,
              0,
              3_000,
              5,
              3,
              30_000,
              sabotage);
      try {
        new Simulation(c).run();
      } catch (SimulationFailure e) {
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("-Dprosima.sim.seed=" + seed), e.getMessage());
        return;
      }
    }
    fail("no seed of " + SEEDS_MAX + " caught " + sabotage);
  }
}
