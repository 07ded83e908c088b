package io.prosima.testnet.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each node of a benchmark testnet moved, read from its Prometheus endpoint at the end:
 * overlay bytes, transactions that proposals lacked (fetched), gossip it dropped, clients it held
 * back. The figures behind a throughput number: how much of a block had to be fetched, how much
 * gossip was shed.
 */
final class NodeTraffic {
  private static final List<String> SHOWN =
      List.of(
          "prosima_p2p_bytes_sent_total",
          "prosima_p2p_bytes_received_total",
          "prosima_p2p_tx_gossip_dropped_total",
          "prosima_consensus_txs_fetch_asked_total",
          "prosima_consensus_txs_fetch_answered_total",
          "prosima_txs_refused_total{code=\"REFUSAL_MEMPOOL_FULL\"}",
          "prosima_store_bytes_written_total");

  private NodeTraffic() {}

  /** Prints one line per node; a node that does not answer is said so, not fatal. */
  static void print(List<String> names, List<String> endpoints, PrintStream out) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    out.println(
        "  per node: p2p MB sent/received, tx gossip dropped, txs fetched (asked for proposals /"
            + " received in all fetch answers, relay included), client txs refused as busy, MB the"
            + " ledger store wrote");
    for (int i = 0; i < endpoints.size(); i++) {
      Map<String, Double> m;
      try {
        m = scrape(http, endpoints.get(i));
      } catch (IOException e) {
        out.printf("  %s: metrics unavailable (%s)%n", names.get(i), e.getMessage());
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      out.printf(
          "  %s: %.0f/%.0f MB, %.0f dropped, fetched %.0f/%.0f, busy %.0f, stored %.0f MB%n",
          names.get(i),
          m.getOrDefault(SHOWN.get(0), 0.0) / 1e6,
          m.getOrDefault(SHOWN.get(1), 0.0) / 1e6,
          m.getOrDefault(SHOWN.get(2), 0.0),
          m.getOrDefault(SHOWN.get(3), 0.0),
          m.getOrDefault(SHOWN.get(4), 0.0),
          m.getOrDefault(SHOWN.get(5), 0.0),
          m.getOrDefault(SHOWN.get(6), 0.0) / 1e6);
    }
  }

  private static Map<String, Double> scrape(HttpClient http, String endpoint)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + endpoint + "/metrics"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Map<String, Double> values = new HashMap<>();
    for (String line : r.body().split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      if (space <= 0) {
        continue;
      }
      try {
        values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      } catch (NumberFormatException e) {
        // Not a sample line this class reads.
      }
    }
    return values;
  }
}
