package io.prosima.node.cli;

import io.prosima.node.bench.LedgerBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `prosima bench ledger`: admission rate, commit throughput and latency of one node. */
@Command(
    name = "ledger",
    mixinStandardHelpOptions = true,
    description = "Signed-tx admission and commit throughput, submit-to-commit latency (1 node).")
final class BenchLedgerCommand implements Callable<Integer> {
  @Option(names = "--txs", defaultValue = "60000", description = "Transactions in the flood phase.")
  int txs;

  @Option(names = "--batch", defaultValue = "500", description = "Transactions per SubmitBatch.")
  int batch;

  @Option(names = "--clients", defaultValue = "4", description = "Concurrent client connections.")
  int clients;

  @Option(names = "--signers", defaultValue = "32", description = "Distinct signing identities.")
  int signers;

  @Option(
      names = "--pace",
      defaultValue = "0.5",
      description = "Phase 2 load as a fraction of phase 1's commit throughput.")
  double pace;

  @Option(names = "--pace-seconds", defaultValue = "10", description = "Length of phase 2.")
  int paceSeconds;

  @Option(
      names = "--payload",
      defaultValue = "anchor",
      description = "anchor (ImageAnchor, ~1.9 KB) or log (AccessLog, ~0.2 KB).")
  String payload;

  // 30,000 left C2 compiling through the measured flood (about a quarter of the process's CPU in
  // a perf profile); after 150,000 the same flood admitted 6,408 tx/s instead of about 4,950.
  @Option(
      names = "--warmup-txs",
      defaultValue = "150000",
      description = "Transactions flooded first to warm the JIT (not part of the figures).")
  int warmupTxs;

  @Override
  public Integer call() throws Exception {
    if (txs < 1
        || batch < 1
        || batch > 10_000
        || clients < 1
        || signers < clients
        || pace <= 0
        || paceSeconds < 1
        || warmupTxs < 0) {
      throw new CliException(
          "need txs >= 1, 1 <= batch <= 10000, 1 <= clients <= signers, pace > 0");
    }
    if (!payload.equals("anchor") && !payload.equals("log")) {
      throw new CliException("--payload must be anchor or log");
    }
    new LedgerBenchmark(
            new LedgerBenchmark.Options(
                payload.equals("log"),
                txs,
                batch,
                clients,
                signers,
                pace,
                paceSeconds,
                0,
                0,
                warmupTxs),
            System.out)
        .run();
    return 0;
  }
}
