package io.prosima.testnet.bench;

import io.prosima.node.cli.CliException;
import io.prosima.testnet.demo.DemoData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `prosima bench ingest`: img/s, per-stage latency, retrieval latency, storage overhead. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description =
        "Ingest and retrieve 256x256 16-bit MRI slices on a local testnet of validator processes:"
            + " img/s, per-image p50/p99 by stage, retrieve p50/p99, bytes stored per image.")
public final class BenchIngestCommand implements Callable<Integer> {
  @Option(names = "--validators", defaultValue = "4", description = "Validator processes.")
  int validators;

  @Option(names = "--regions", defaultValue = "2", description = "Regions.")
  int regions;

  @Option(names = "--code", defaultValue = "2/4", description = "Erasure code r/s.")
  String code;

  @Option(names = "--images", defaultValue = "300", description = "Images measured.")
  int images;

  @Option(
      names = "--warmup",
      defaultValue = "60",
      description = "Images ingested first, unmeasured.")
  int warmup;

  @Option(names = "--in-flight", defaultValue = "16", description = "Images in flight at once.")
  int inFlight;

  @Option(names = "--retrievals", defaultValue = "100", description = "Images retrieved, measured.")
  int retrievals;

  @Option(
      names = "--kill",
      defaultValue = "0",
      description = "After measuring, SIGKILL this many validators and retrieve again.")
  int kill;

  @Option(names = "--heap", defaultValue = "1g", description = "-Xmx of each validator process.")
  String heap;

  @Option(names = "--dir", description = "Working directory (default: a new temp dir).")
  Path dir;

  @Override
  public Integer call() throws Exception {
    String[] rs = code.split("/");
    int r;
    int s;
    try {
      r = Integer.parseInt(rs[0]);
      s = Integer.parseInt(rs[1]);
    } catch (RuntimeException e) {
      throw new CliException("--code must be r/s, e.g. 2/4");
    }
    if (r < 1 || r > s || s > validators || images < 1 || warmup < 0 || inFlight < 1) {
      throw new CliException("need 1 <= r <= s <= validators, images >= 1, in-flight >= 1");
    }
    Path data =
        DemoData.find()
            .orElseThrow(() -> new CliException("the shared data (../shared/data) is missing"));
    Path where = dir != null ? dir : Files.createTempDirectory("prosima-bench-ingest");
    new IngestBenchmark(
            new IngestBenchmark.Config(
                validators, regions, r, s, images, warmup, inFlight, retrievals, kill, heap, data),
            where,
            System.out)
        .run();
    return 0;
  }
}
