package io.prosima.testnet.bench;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.io.PngImages;
import io.prosima.imaging.model.ShippedModels;
import io.prosima.node.client.NodeClient;
import io.prosima.node.image.ChainNodes;
import io.prosima.node.image.Grantee;
import io.prosima.node.image.ImageHistory;
import io.prosima.node.image.ImageIngest;
import io.prosima.node.image.ImageRetrieval;
import io.prosima.node.image.IngestResult;
import io.prosima.node.image.Models;
import io.prosima.node.models.ModelAnchors;
import io.prosima.proto.v1.StatusRequest;
import io.prosima.proto.v1.SubmitRequest;
import io.prosima.proto.v1.Transaction;
import io.prosima.testnet.launch.LocalTestnet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * `prosima bench ingest`: the provenance pipeline on a local testnet of validator processes, all on
 * this machine. Images are 256×256 16-bit PNGs made from the shared MRI slices (each 8-bit sample
 * widened to 16 bits with a fixed ±128 dither, so the low byte carries data). The client runs in
 * this JVM with the anchored E; every image is ingested by hospital-0 with a grant to hospital-1,
 * who then retrieves a sample of them.
 */
public final class IngestBenchmark {
  /** What to run. */
  public record Config(
      int validators,
      int regions,
      int r,
      int s,
      int images,
      int warmupImages,
      int inFlight,
      int retrievals,
      int killForRetrieval,
      String heap,
      Path dataDir) {}

  private final Config config;
  private final Path dir;
  private final PrintStream out;

  public IngestBenchmark(Config config, Path dir, PrintStream out) {
    this.config = config;
    this.dir = dir;
    this.out = out;
  }

  public void run() throws Exception {
    Path images = Files.createDirectories(dir.resolve("images16"));
    List<Path> files =
        prepareImages(config.dataDir(), images, config.images() + config.warmupImages());
    LocalTestnet net =
        LocalTestnet.create(
            dir.resolve("testnet"),
            config.validators(),
            config.regions(),
            LocalTestnet.freeBasePort(config.validators()));
    net.setJvmOptions(List.of("-Xmx" + config.heap()));
    ExecutorService calls = Executors.newFixedThreadPool(64, daemon("bench-calls"));
    ExecutorService workers =
        Executors.newFixedThreadPool(config.inFlight(), daemon("bench-ingest"));
    try (ChainNodes owner = new ChainNodes(net.genesis(), net.clientKey("hospital-0"));
        ChainNodes reader = new ChainNodes(net.genesis(), net.clientKey("hospital-1"))) {
      net.startAll();
      net.awaitReady(Duration.ofSeconds(120));
      NodeClient via = owner.client(net.genesis().getValidators(0).getPublicKey());
      anchorModels(net, via);
      try (Models.Opened models = Models.open(ShippedModels.defaultDir(), via, "1", true)) {
        ImageIngest ingest = new ImageIngest(owner, models, via, calls);
        var options =
            new ImageIngest.Options(
                config.r(),
                config.s(),
                net.genesis().getValidators(0).getRegion(),
                List.of(Grantee.of(net.clientKey("hospital-1"))));
        out.printf(
            "testnet: %d validator processes in %d regions, code %d-of-%d, %d images in flight,"
                + " encoder %s%n",
            config.validators(),
            config.regions(),
            config.r(),
            config.s(),
            config.inFlight(),
            models.label());
        ingestAll(ingest, workers, files.subList(0, config.warmupImages()), options);
        out.printf("warm-up: %d images (not counted)%n", config.warmupImages());
        List<Path> measured = files.subList(config.warmupImages(), files.size());
        long t0 = System.nanoTime();
        List<IngestResult> results = ingestAll(ingest, workers, measured, options);
        double seconds = (System.nanoTime() - t0) / 1e9;
        report(results, seconds, measured);
        retrievals(net, reader, calls, results);
      }
    } finally {
      workers.shutdownNow();
      calls.shutdownNow();
      net.stopAll();
    }
  }

  private List<IngestResult> ingestAll(
      ImageIngest ingest, ExecutorService workers, List<Path> files, ImageIngest.Options options)
      throws Exception {
    List<Future<IngestResult>> futures = new ArrayList<>();
    for (Path f : files) {
      futures.add(workers.submit(() -> ingest.ingest(f, null, options)));
    }
    List<IngestResult> out = new ArrayList<>();
    for (Future<IngestResult> f : futures) {
      out.add(f.get());
    }
    return out;
  }

  private void report(List<IngestResult> results, double seconds, List<Path> files)
      throws IOException {
    out.printf(
        Locale.ROOT,
        "%nINGEST %d images in %.1f s: %.1f img/s sustained (target >= 30)%n",
        results.size(),
        seconds,
        results.size() / seconds);
    out.println("per image, ms             p50       p99");
    row("read", results, IngestResult::readMs);
    row("tile + hash", results, IngestResult::tileHashMs);
    row("E (16 tiles)", results, IngestResult::encoderMs);
    row("encrypt", results, IngestResult::encryptMs);
    row("erasure code", results, IngestResult::erasureMs);
    row("upload + receipts", results, IngestResult::uploadMs);
    row("all but commit wait", results, IngestResult::workMs);
    row("commit wait", results, IngestResult::commitWaitMs);
    out.println(
        "  (commit wait: from handing the anchor and grants to the identity's group committer"
            + " until the node answers that the batch carrying them committed; E includes the"
            + " wait for the one E instance, so with many images in flight it holds the queueing)");
    double stored = results.stream().mapToLong(IngestResult::storedBytes).average().orElse(0);
    long fileBytes = 0;
    for (Path f : files) {
      fileBytes += Files.size(f);
    }
    double png = (double) fileBytes / files.size();
    double raw = 256 * 256 * 2;
    out.printf(
        Locale.ROOT,
        "stored per image: %.1f KB of fragments = %.2fx the 16-bit pixels (%.0f KB), %.2fx the"
            + " PNG file (%.1f KB); code overhead s/r = %.2f%n",
        stored / 1024,
        stored / raw,
        raw / 1024,
        stored / png,
        png / 1024,
        (double) config.s() / config.r());
  }

  private void row(String name, List<IngestResult> results, ToDoubleFunction<IngestResult> f) {
    double[] v = results.stream().mapToDouble(f).sorted().toArray();
    out.printf(
        Locale.ROOT, "  %-22s %8.1f  %8.1f%n", name, percentile(v, 0.50), percentile(v, 0.99));
  }

  private void retrievals(
      LocalTestnet net, ChainNodes reader, ExecutorService calls, List<IngestResult> results)
      throws Exception {
    int n = Math.min(config.retrievals(), results.size());
    String region = net.genesis().getValidators(1).getRegion();
    NodeClient via = reader.client(net.genesis().getValidators(1).getPublicKey());
    ImageRetrieval retrieval = new ImageRetrieval(reader, calls);
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      ImageHistory h = ImageHistory.read(via, reader, results.get(i).imageId());
      retrieval.retrieve(h, region);
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    out.printf(
        Locale.ROOT,
        "%nRETRIEVE %d images one after another by hospital-1 (history + proofs, %d fragments per"
            + " tile, decrypt, check): p50 %.1f ms, p99 %.1f ms (target p50 <= 100)%n",
        n,
        config.r(),
        percentile(ms, 0.5),
        percentile(ms, 0.99));
    if (config.killForRetrieval() > 0) {
      int k = config.killForRetrieval();
      // Kill the last k validators; hospital-1 reads through validator-1, which stays.
      List<String> killed = new ArrayList<>();
      for (int i = config.validators() - 1; killed.size() < k && i >= 0; i--) {
        if (i == 1) {
          continue;
        }
        net.kill(i);
        killed.add(net.genesis().getValidators(i).getName());
      }
      int ok = 0;
      int tried = Math.min(20, results.size());
      double[] downMs = new double[tried];
      for (int i = 0; i < tried; i++) {
        long t = System.nanoTime();
        ImageHistory h = ImageHistory.read(via, reader, results.get(i).imageId());
        var got = retrieval.retrieve(h, region);
        downMs[i] = (System.nanoTime() - t) / 1e6;
        ok += got.image().width() == 256 ? 1 : 0;
      }
      Arrays.sort(downMs);
      out.printf(
          Locale.ROOT,
          "with %s SIGKILLed: %d of %d retrievals succeeded (every tile checked against the"
              + " chain), p50 %.1f ms%n",
          String.join(" and ", killed),
          ok,
          tried,
          percentile(downMs, 0.5));
    }
  }

  private void anchorModels(LocalTestnet net, NodeClient via) throws Exception {
    long height = via.query().getStatus(StatusRequest.getDefaultInstance()).getHeight();
    for (Transaction tx :
        ModelAnchors.anchorTxs(
            ShippedModels.defaultDir(),
            "1",
            net.genesis().getChainId(),
            net.clientKey("hospital-0"),
            height + 100)) {
      var r =
          via.submit()
              .withDeadlineAfter(60, TimeUnit.SECONDS)
              .submit(SubmitRequest.newBuilder().setTx(tx).setWaitForCommit(true).build());
      if (!r.getCommitted()) {
        throw new IllegalStateException("model anchor not committed: " + r.getMessage());
      }
    }
  }

  /** 16-bit versions of the shared slices, cycling through them until {@code count} exist. */
  static List<Path> prepareImages(Path data, Path into, int count) throws IOException {
    List<Path> slices;
    try (Stream<Path> s = Files.list(data.resolve("mri/human-t1-axial"))) {
      slices = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    if (slices.isEmpty()) {
      throw new IOException("no MRI slices under " + data);
    }
    Random random = new Random(42);
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      GrayImage src = PngImages.read(slices.get(i % slices.size()));
      float[] px = src.pixels();
      for (int j = 0; j < px.length; j++) {
        int v = Math.round(px[j] * 65535f) + random.nextInt(257) - 128;
        px[j] = Math.min(65535, Math.max(0, v)) / 65535f;
      }
      Path f = into.resolve(String.format("slice16-%05d.png", i));
      PngImages.write16(new GrayImage(src.width(), src.height(), px), f);
      out.add(f);
    }
    return out;
  }

  static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
