package io.prosima.testnet.bench;

import io.prosima.node.bench.LedgerBenchmark;
import io.prosima.proto.v1.KeyFile;
import io.prosima.testnet.launch.LocalTestnet;
import io.prosima.testnet.launch.NodeStatus;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Throughput and latency of a real local testnet: N validator processes on this machine (BFT over
 * the p2p overlay, every node verifying every transaction once), loaded over mutual-TLS gRPC by the
 * same load generator as {@code bench ledger}, with signers spread over all validators.
 */
public final class TestnetBenchmark {
  private final int validators;
  private final int regions;
  private final String heap;
  private final long blockBytesMax;
  private final LedgerBenchmark.Options options;
  private final PrintStream out;
  private final Path keepIn;

  /**
   * @param keepIn where to write the testnet and keep it (logs included) afterwards; null for a
   *     temporary directory that is deleted
   */
  public TestnetBenchmark(
      int validators,
      int regions,
      String heap,
      long blockBytesMax,
      LedgerBenchmark.Options options,
      Path keepIn,
      PrintStream out) {
    this.keepIn = keepIn;
    this.validators = validators;
    this.regions = regions;
    this.heap = heap;
    this.blockBytesMax = blockBytesMax;
    this.options = options;
    this.out = out;
  }

  public void run() throws Exception {
    Path dir = keepIn != null ? keepIn : Files.createTempDirectory("prosima-bench-testnet");
    LocalTestnet net =
        LocalTestnet.create(
            dir.resolve("net"),
            validators,
            regions,
            LocalTestnet.freeBasePort(validators),
            options.signers(),
            blockBytesMax);
    net.setJvmOptions(List.of("-Xmx" + heap));
    out.printf(
        "bench testnet: %d validator processes in %d regions on %d cores (heap %s each);"
            + " block <= %d txs and %d bytes%n",
        validators,
        regions,
        Runtime.getRuntime().availableProcessors(),
        heap,
        net.genesis().getConsensus().getBlockTxsMax(),
        net.genesis().getConsensus().getBlockBytesMax());
    try {
      net.startAll();
      net.awaitReady(Duration.ofSeconds(120));
      List<String> endpoints = new ArrayList<>();
      for (int i = 0; i < validators; i++) {
        endpoints.add(net.grpcEndpoint(i));
      }
      List<KeyFile> signers = new ArrayList<>();
      for (int s = 0; s < options.signers(); s++) {
        signers.add(net.clientKey("hospital-" + s));
      }
      new LedgerBenchmark(options, out)
          .runAgainst(endpoints, net.genesis(), signers, net.clientKey("auditor-0"));
      out.println();
      List<String> names = new ArrayList<>();
      List<String> metrics = new ArrayList<>();
      for (NodeStatus s : net.status()) {
        out.printf("  %s  height %d  tip %s%n", s.name(), s.height(), s.tip());
        names.add(s.name());
        metrics.add(s.metrics());
      }
      NodeTraffic.print(names, metrics, out);
    } finally {
      net.stopAll();
      if (keepIn != null) {
        out.println("testnet and node logs kept in " + dir);
        return;
      }
      try (var paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
