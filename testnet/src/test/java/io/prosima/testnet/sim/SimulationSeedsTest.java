package io.prosima.testnet.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The CI run of the simulator: {@link #SEEDS_PER_SIZE} seeds for each of 4, 7 and 10 validators
 * (seed mod 3 picks the size), half with unequal weights, two in three with Byzantine validators
 * holding less than 1/3 of the weight. Runs are independent, so they use both cores. {@code
 * -Dprosima.sim.seed=SEED} runs only that seed.
 */
class SimulationSeedsTest {
  static final int SEEDS_PER_SIZE = 70;
  static final String SEED_PROPERTY = "prosima.sim.seed";

  @Test
  void fourValidatorsAgreeStayValidDurableAndLiveUnderSeededFaults() {
    runSize(0);
  }

  @Test
  void sevenValidatorsAgreeStayValidDurableAndLiveUnderSeededFaults() {
    runSize(1);
  }

  @Test
  void tenValidatorsAgreeStayValidDurableAndLiveUnderSeededFaults() {
    runSize(2);
  }

  @Test
  void oneSeedReplaysToTheSameRun() {
    SimResult a = new Simulation(Scenarios.forSeed(42)).run();
    SimResult b = new Simulation(Scenarios.forSeed(42)).run();
    assertEquals(a, b);
  }

  private static void runSize(int residue) {
    String only = System.getProperty(SEED_PROPERTY);
    LongStream seeds;
    if (only != null) {
      long seed = Long.parseLong(only);
      if (Math.floorMod(seed, 3) != residue) {
        return;
      }
      seeds = LongStream.of(seed);
    } else {
      seeds = LongStream.range(0, SEEDS_PER_SIZE).map(i -> 3 * i + residue);
    }
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<SimResult> results = new ConcurrentLinkedQueue<>();
    seeds
        .parallel()
        .forEach(
            seed -> {
              try {
                results.add(new Simulation(Scenarios.forSeed(seed)).run());
              } catch (SimulationFailure e) {
                failures.add(e.getMessage());
              } catch (RuntimeException e) {
                failures.add(
                    e + " [seed=" + seed + "; replay with -D" + SEED_PROPERTY + "=" + seed + "]");
              }
            });
    assertTrue(
        failures.isEmpty(), failures.size() + " seeds failed:\n" + String.join("\n", failures));
    List<SimResult> all = List.copyOf(results);
    for (SimResult r : all) {
      // A run where no client transaction gets through would check nothing about transactions.
      assertTrue(
          r.txsAcknowledged() > 0 && r.txsCommitted() <= r.txsSubmitted(),
          "seed " + r.seed() + ": no acknowledged tx or more committed than submitted: " + r);
    }
    long evidence = all.stream().mapToLong(SimResult::evidence).sum();
    long crashes = all.stream().mapToLong(SimResult::crashes).sum();
    long persistCrashes = all.stream().mapToLong(SimResult::crashesAfterPersistBeforeSend).sum();
    long byzantineRuns = all.stream().filter(r -> r.evidence() > 0).count();
    System.out.printf(
        "validators=%d seeds=%d runsWithEvidence=%d evidence=%d crashes=%d"
            + " crashesBetweenPersistAndSend=%d maxRound=%d txsSubmitted=%d txsCommitted=%d"
            + " txsAcknowledged=%d%n",
        Scenarios.SIZES[residue],
        all.size(),
        byzantineRuns,
        evidence,
        crashes,
        persistCrashes,
        all.stream().mapToLong(SimResult::maxRound).max().orElse(0),
        all.stream().mapToLong(SimResult::txsSubmitted).sum(),
        all.stream().mapToLong(SimResult::txsCommitted).sum(),
        all.stream().mapToLong(SimResult::txsAcknowledged).sum());
  }
}
