package io.prosima.node.fragments;

import static io.prosima.node.fragments.FragmentChain.AUDITOR;
import static io.prosima.node.fragments.FragmentChain.HOSPITAL_0;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FragmentMetricsTest {
  @TempDir Path dir;

  @Test
  void theMetricsEndpointCountsFragmentRequestsStoredBytesAndDeletions() throws Exception {
    try (FragmentChain c =
        new FragmentChain(
            dir,
            cfg -> cfg.withMetricsListen("127.0.0.1:0").withFragments(1L << 30, 1, 3_600_000))) {
      c.put(HOSPITAL_0, "m", 0, 2, 100);
      FragmentChain.assertRefused(
          Status.Code.PERMISSION_DENIED, () -> c.put(AUDITOR, "m2", 0, 1, 10));
      String before = scrape(c);
      Thread.sleep(20);
      c.node.fragments().collectGarbage();
      String after = scrape(c);
      assertTrue(
          before.contains(
              "prosima_fragment_requests_total{op=\"put\",outcome=\"served\",reason=\"\"} 1.0"),
          before);
      assertTrue(
          before.contains(
              "prosima_fragment_requests_total{op=\"put\",outcome=\"refused\","
                  + "reason=\"not_hospital\"} 1.0"),
          before);
      assertTrue(before.contains("prosima_fragment_bytes_stored 200.0"), before);
      assertTrue(before.contains("prosima_fragments_stored 2.0"), before);
      assertTrue(after.contains("prosima_fragments_deleted_total 2.0"), after);
      assertTrue(after.contains("prosima_fragments_stored 0.0"), after);
    }
  }

  private static String scrape(FragmentChain c) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + c.node.metricsPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
