package io.prosima.node;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.genesis.GenesisBuilder;
import io.prosima.node.bench.AnchorTxFactory;
import io.prosima.node.client.NodeClient;
import io.prosima.proto.v1.SubmitRequest;
import io.prosima.proto.v1.Transaction;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeMetricsTest {
  @TempDir Path dir;

  @Test
  void theMetricsEndpointCountsWhatTheNodeDid() throws Exception {
    GenesisBuilder.Result chain = TestChains.create(dir, 1);
    NodeConfig config =
        NodeConfig.defaults(dir.resolve("validator-0"))
            .withGrpcListen("127.0.0.1:0")
            .withMetricsListen("127.0.0.1:0");
    try (LedgerNode node = LedgerNode.start(config);
        NodeClient client =
            new NodeClient(
                "127.0.0.1:" + node.grpcPort(), chain.clientKeys().get(0), chain.genesis())) {
      AnchorTxFactory factory = new AnchorTxFactory("test-chain");
      Transaction tx = factory.anchorTx(chain.clientKeys().get(0), 1, 100, "scan-1");
      client.submit().submit(SubmitRequest.newBuilder().setTx(tx).setWaitForCommit(true).build());
      client.submit().submit(SubmitRequest.newBuilder().setTx(tx.toBuilder().setNonce(2)).build());

      String text =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + node.metricsPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      // The chain also commits empty blocks (one a second when idle), so a slow machine can scrape
      // after more than one block: every block counted must be one the node holds.
      double height = value(text, "prosima_height");
      assertTrue(height >= 1, text);
      assertTrue(text.contains("prosima_txs_admitted_total 1.0"), text);
      assertTrue(
          text.contains("prosima_txs_refused_total{code=\"REFUSAL_BAD_SIGNATURE\"} 1.0"), text);
      double committed = value(text, "prosima_blocks_committed_total");
      assertTrue(committed >= 1 && Math.abs(committed - height) <= 1, text);
      assertTrue(text.contains("prosima_tx_commit_latency_seconds_count 1"), text);
      assertTrue(text.contains("prosima_mempool_txs 0.0"), text);
    }
  }

  @Test
  void aMetricsEndpointOnANonLoopbackAddressIsRefused() throws Exception {
    TestChains.create(dir, 1);
    NodeConfig config =
        NodeConfig.defaults(dir.resolve("validator-0"))
            .withGrpcListen("127.0.0.1:0")
            .withMetricsListen("0.0.0.0:0");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LedgerNode.start(config));
    assertTrue(e.getMessage().contains("loopback"), e.getMessage());
  }

  private static double value(String exposition, String metric) {
    for (String line : exposition.split("\n")) {
      if (line.startsWith(metric + " ")) {
        return Double.parseDouble(line.substring(metric.length() + 1).trim());
      }
    }
    throw new AssertionError(metric + " missing from:\n" + exposition);
  }
}
