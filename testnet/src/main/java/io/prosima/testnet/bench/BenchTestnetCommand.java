package io.prosima.testnet.bench;

import io.prosima.genesis.GenesisBuilder;
import io.prosima.node.bench.LedgerBenchmark;
import io.prosima.node.cli.CliException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `prosima bench testnet`: committed tx/s and submit-to-commit latency of a local testnet. */
@Command(
    name = "testnet",
    mixinStandardHelpOptions = true,
    description =
        "Committed tx/s (flood) and p50/p99 submit-to-commit latency (steady rate) of a local"
            + " testnet of validator processes.")
public final class BenchTestnetCommand implements Callable<Integer> {
  @Option(names = "--validators", defaultValue = "4", description = "Validator processes.")
  int validators;

  @Option(names = "--regions", defaultValue = "2", description = "Regions.")
  int regions;

  /**
   * Flood client threads, at most: enough to keep every node's admission busy. The open-loop phase
   * needs many more signers than that (a signer has one batch in flight, and at 3,000 tx/s with
   * seconds of latency hundreds of batches are in flight), but not more threads.
   */
  static final int FLOOD_CLIENTS_MAX = 64;

  @Option(names = "--txs", defaultValue = "60000", description = "Transactions in the flood phase.")
  int txs;

  @Option(names = "--batch", defaultValue = "500", description = "Transactions per SubmitBatch.")
  int batch;

  @Option(
      names = "--signers",
      defaultValue = "256",
      description =
          "Signing identities (hospitals); the open-loop steady phase gives each due batch to an"
              + " idle one.")
  int signers;

  @Option(
      names = "--rate",
      defaultValue = "3000",
      description = "Offered tx/s in the steady phase (0: half of the flood phase's rate).")
  double rate;

  @Option(names = "--seconds", defaultValue = "60", description = "Length of the steady phase.")
  int seconds;

  @Option(
      names = "--warmup",
      defaultValue = "90",
      description = "Seconds of load at half the rate before measuring (JIT warm-up), 0 for none.")
  int warmup;

  @Option(
      names = "--payload",
      defaultValue = "log",
      description = "log (AccessLog, ~0.2 KB) or anchor (ImageAnchor, ~1.9 KB).")
  String payload;

  @Option(names = "--heap", defaultValue = "1g", description = "-Xmx of each validator process.")
  String heap;

  @Option(
      names = "--block-bytes-max",
      defaultValue = "" + GenesisBuilder.DEFAULT_BLOCK_BYTES_MAX,
      description = "The genesis block byte cap (default 2 MiB).")
  long blockBytesMax;

  @Option(
      names = "--dir",
      description = "Write the testnet here and keep it with its logs (default: temp, deleted).")
  Path dir;

  @Override
  public Integer call() throws Exception {
    if (validators < 1 || regions < 1 || regions > validators) {
      throw new CliException("need 1 <= regions <= validators");
    }
    if (txs < 1
        || batch < 1
        || batch > 10_000
        || signers < 1
        || rate < 0
        || seconds < 1
        || warmup < 0) {
      throw new CliException("need txs >= 1, 1 <= batch <= 10000, signers >= 1, rate >= 0");
    }
    if (!payload.equals("anchor") && !payload.equals("log")) {
      throw new CliException("--payload must be anchor or log");
    }
    if (!heap.matches("[0-9]+[mMgG]")) {
      throw new CliException("--heap must look like 512m or 2g");
    }
    var options =
        new LedgerBenchmark.Options(
            payload.equals("log"),
            txs,
            batch,
            Math.min(signers, FLOOD_CLIENTS_MAX),
            signers,
            0.5,
            seconds,
            rate,
            warmup,
            0);
    new TestnetBenchmark(validators, regions, heap, blockBytesMax, options, dir, System.out).run();
    return 0;
  }
}
