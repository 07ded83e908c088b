package io.prosima.testnet.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a run reports, and the soak and figures entry points a CLI command would call. */
class SimulationReportsTest {
  @Test
  void transactionGossipIsCountedApartAndEachBodyReachesEachNodeOnce() {
    long[] weights = {1, 1, 1, 1};
    SimResult r = new Simulation(SimConfig.faultFree(3, weights, 20, 20)).run();
    assertTrue(r.txsSubmitted() > 0, r.toString());
    assertTrue(r.txsCommitted() > 0 && r.txsCommitted() <= r.txsSubmitted(), r.toString());
    // Transactions are announced and then fetched: each node but the one a client submitted to
    // fetches a body once (links are fault-free and far faster than the request timeout, so no
    // request is repeated), where flooding sent one over each link in each direction.
    assertTrue(r.txBodiesRelayed() > 0, r.toString());
    assertTrue(r.txBodiesRelayed() <= (weights.length - 1) * r.txsSubmitted(), r.toString());
    // Each node announces a transaction once to each neighbour not known to hold it; with the
    // fetch and its answer, at most four messages per link and transaction.
    long links = SimGenesis.build(weights).genesis().getOverlayCount();
    assertTrue(r.txGossipMessages() > 0, r.toString());
    assertTrue(r.txGossipMessages() <= 4 * links * r.txsSubmitted(), r.toString());
    // Consensus messages are flooded: each broadcast reaches at least one neighbour.
    assertTrue(r.sentMessages() >= r.consensusMessages(), r.toString());
  }

  @Test
  void proposalsTravelCompactAndMissingTransactionsAreFetched() {
    // Honest nodes send proposals only compact; over links of 1–20 ms a proposal sometimes
    // overtakes the gossip of a transaction it names, which is then fetched.
    SimResult honest =
        new Simulation(SimConfig.faultFree(5, new long[] {1, 1, 1, 1}, 20, 20)).run();
    assertTrue(honest.compactProposalsSent() > 0, honest.toString());
    assertEquals(0, honest.fullProposalsSent(), honest.toString());
    long fetches = 0;
    for (long seed = 0; seed < 6; seed++) {
      fetches += new Simulation(Scenarios.forSeed(3 * seed)).run().txFetches();
    }
    assertTrue(fetches > 0, "no run fetched a transaction");
  }

  @Test
  void soakRunsTheSeedsAndReportsTheirTransactions() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    assertTrue(SimSoak.soak(0, 3, new PrintStream(bytes, true, StandardCharsets.UTF_8)));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("all seeds 0..2 passed (txs submitted "), out);
  }

  @Test
  void figuresPrintARowPerSizeAndLinkWithTransactionColumns() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SimFigures.print(3, 1, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(1 + 2 * SimFigures.FIGURE_SIZES.length, lines.length);
    assertTrue(lines[0].contains("txs_committed/run") && lines[0].contains("tx_sent/block"));
  }
}
