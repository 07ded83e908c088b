package io.prosima.testnet.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.consensus.bft.BftCore;
import io.prosima.genesis.ValidatorSets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 item 4 in the simulator: under the seed's faults (drops, duplicates, partitions,
 * crashes, Byzantine validators), an operator's approved change adds a validator whose node starts
 * from genesis and its key and syncs, then a second change removes a validator; all checkers
 * (agreement, validity, durability, liveness) hold throughout, certificates are checked against the
 * set in force at their height, and the joined validator signs certificates.
 */
class SimulationMembershipTest {
  static final int SEEDS = 16;

  @Test
  void aValidatorJoinsSyncsAndVotesAndAnotherLeavesUnderSeededFaults() {
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger runs = new AtomicInteger();
    AtomicInteger leaves = new AtomicInteger();
    LongStream.range(0, SEEDS)
        .parallel()
        .forEach(
            seed -> {
              Simulation sim = new Simulation(Scenarios.forSeed(seed), true);
              try {
                sim.run();
              } catch (SimulationFailure e) {
                failures.add(e.getMessage());
                return;
              } catch (RuntimeException e) {
                failures.add(e + " [seed=" + seed + "]");
                return;
              }
              if (!sim.changesValidators()) {
                return;
              }
              runs.incrementAndGet();
              int n = Scenarios.validators(seed);
              if (sim.plansLeave()) {
                leaves.incrementAndGet();
                if (sim.changesDecided() != 2 || sim.validatorsAtEnd() != n) {
                  failures.add("seed " + seed + ": join and leave not both in force");
                }
              } else if (sim.changesDecided() != 1 || sim.validatorsAtEnd() != n + 1) {
                failures.add("seed " + seed + ": join not in force");
              }
              if (sim.joinerFirstSignedHeight() <= 0) {
                failures.add("seed " + seed + ": the joined validator never signed a certificate");
              }
            });
    System.out.printf(
        "membership seeds=%d runsWithChanges=%d runsWithLeave=%d%n",
        SEEDS, runs.get(), leaves.get());
    assertTrue(failures.isEmpty(), String.join("\n", failures));
    assertTrue(runs.get() >= SEEDS / 2, "too few seeds changed validators: " + runs.get());
    assertTrue(leaves.get() >= 1, "no seed had a validator leave");
  }

  @Test
  void changesTakeEffectBeyondEveryHeightWhoseMessagesACoreBuffers() {
    assertTrue(ValidatorSets.ACTIVATION_DELAY_HEIGHTS > BftCore.HEIGHTS_AHEAD_MAX + 1);
  }

  @Test
  void aMembershipRunReplaysToTheSameRun() {
    long seed = 5;
    SimResult a = new Simulation(Scenarios.forSeed(seed), true).run();
    SimResult b = new Simulation(Scenarios.forSeed(seed), true).run();
    assertEquals(a, b);
  }
}
