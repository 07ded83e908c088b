package io.prosima.node.cli;

import io.prosima.imaging.train.ProgressBar;
import io.prosima.node.image.Grantee;
import io.prosima.node.image.ImageIngest;
import io.prosima.node.image.IngestResult;
import io.prosima.node.image.Models;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `prosima image ingest FILE|DIR...`: fingerprint, encrypt, store fragments, then anchor. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Ingest images (PNG, DICOM, NIfTI): tiles, content hashes and E's latents under a Merkle",
      "root; per-tile AES-256-GCM under a fresh data key; r-of-s fragments stored on validators",
      "(your region first) with signed receipts; then the ImageAnchor and AccessGrants commit.",
      "Re-running the same command finishes an interrupted ingest."
    })
public final class ImageIngestCommand implements Callable<Integer> {
  /** Files a directory ingest picks up. */
  static final List<String> EXTENSIONS = List.of(".png", ".dcm", ".nii", ".nii.gz");

  @Parameters(arity = "1..*", description = "Image files or directories.")
  List<Path> inputs;

  @Mixin ClientOptions client;

  @Option(names = "--id", description = "Image id (one file only; default: derived from content).")
  String id;

  @Option(
      names = "--grant",
      description =
          "Also grant access to this identity: its public card (NAME.public.json), a key file or"
              + " a hex public key of a genesis client; repeatable.")
  List<String> grants = new ArrayList<>();

  @Option(names = "--code", description = "Erasure code r/s (default 2/4, or s = validators).")
  String code;

  @Option(names = "--region", description = "Region to place from (default: the node's region).")
  String region;

  @Mixin ModelOptions model;

  @Option(
      names = "--parallel",
      defaultValue = "8",
      description = "Images in flight at once (default ${DEFAULT-VALUE}).")
  int parallel;

  @Override
  public Integer call() throws Exception {
    List<Path> files = expand(inputs);
    if (files.isEmpty()) {
      throw new CliException("no images found (looked for " + String.join(", ", EXTENSIONS) + ")");
    }
    if (id != null && files.size() != 1) {
      throw new IllegalArgumentException("--id names one image; " + files.size() + " were given");
    }
    if (parallel < 1 || parallel > 64) {
      throw new IllegalArgumentException("--parallel must be 1..64");
    }
    try (ImageSession session = new ImageSession(client, region)) {
      int validators = session.genesis.getValidatorsCount();
      int[] rs = parseCode(code, validators);
      List<Grantee> grantees = new ArrayList<>();
      for (String g : grants) {
        grantees.add(Grantee.parse(g, session.genesis));
      }
      var options = new ImageIngest.Options(rs[0], rs[1], session.region, grantees);
      try (Models.Opened opened =
          Models.open(model.dir(), session.via, model.modelVersion, false)) {
        System.out.println(
            "encoder E: "
                + opened.label()
                + (opened.anchored() ? " (anchored on chain)" : " (shipped; not anchored)")
                + ", code "
                + rs[0]
                + "-of-"
                + rs[1]
                + ", placing from region "
                + session.region);
        ImageIngest ingest = new ImageIngest(session.nodes, opened, session.via, session.calls);
        return run(ingest, files, options);
      }
    }
  }

  private int run(ImageIngest ingest, List<Path> files, ImageIngest.Options options)
      throws InterruptedException {
    ExecutorService workers = Executors.newFixedThreadPool(Math.min(parallel, files.size()));
    long start = System.nanoTime();
    List<Future<IngestResult>> futures = new ArrayList<>();
    for (Path f : files) {
      futures.add(workers.submit(() -> ingest.ingest(f, id, options)));
    }
    workers.shutdown();
    ProgressBar bar =
        files.size() > 1 ? new ProgressBar(System.err, "ingest", files.size(), 10) : null;
    int anchored = 0;
    int completed = 0;
    int already = 0;
    List<String> failures = new ArrayList<>();
    long stored = 0;
    long source = 0;
    for (int i = 0; i < files.size(); i++) {
      try {
        IngestResult r = futures.get(i).get();
        switch (r.outcome()) {
          case ANCHORED -> anchored++;
          case COMPLETED -> completed++;
          case ALREADY_DONE -> already++;
        }
        stored += r.storedBytes();
        source += r.imageBytes();
        if (bar == null) {
          System.out.println(line(files.get(i), r));
        }
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable c = e.getCause();
        failures.add(files.get(i).getFileName() + ": " + c.getMessage());
        if (bar == null) {
          throw new CliException(c.getMessage(), c);
        }
      }
      if (bar != null) {
        bar.update(i + 1, failures.isEmpty() ? "" : failures.size() + " failed");
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (bar != null) {
      System.out.printf(
          Locale.ROOT,
          "%d images in %.1f s (%.1f img/s): %d anchored, %d completed, %d already done,"
              + " %d failed; %.1f MB of fragments stored for %.1f MB of source files%n",
          files.size(),
          seconds,
          files.size() / seconds,
          anchored,
          completed,
          already,
          failures.size(),
          stored / 1e6,
          source / 1e6);
      failures.forEach(f -> System.out.println("  failed " + f));
    }
    return failures.isEmpty() ? 0 : 1;
  }

  private static String line(Path file, IngestResult r) {
    return switch (r.outcome()) {
      case ANCHORED ->
          String.format(
              Locale.ROOT,
              "anchored %s as %s: %d tiles, root %s, %d bytes of fragments; %.0f ms + %.0f ms"
                  + " commit",
              file.getFileName(),
              r.imageId(),
              r.tiles(),
              r.merkleRootHex().substring(0, 16),
              r.storedBytes(),
              r.workMs(),
              r.commitWaitMs());
      case COMPLETED ->
          "completed " + file.getFileName() + " as " + r.imageId() + ": missing grants committed";
      case ALREADY_DONE -> "already ingested " + file.getFileName() + " as " + r.imageId();
    };
  }

  /** r/s from "r/s", or the default 2/4 capped by the number of validators. */
  static int[] parseCode(String code, int validators) {
    if (code == null) {
      int s = Math.min(4, validators);
      return new int[] {Math.max(1, s / 2), s};
    }
    String[] parts = code.split("/");
    try {
      int r = Integer.parseInt(parts[0].trim());
      int s = Integer.parseInt(parts[1].trim());
      if (parts.length != 2 || r < 1 || r > s || s > validators) {
        throw new IllegalArgumentException(
            "--code " + code + ": need 1 <= r <= s <= " + validators + " (validators)");
      }
      return new int[] {r, s};
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("--code must be r/s, e.g. 2/4");
    }
  }

  static List<Path> expand(List<Path> inputs) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : inputs) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          s.filter(Files::isRegularFile)
              .filter(f -> EXTENSIONS.stream().anyMatch(e -> lower(f).endsWith(e)))
              .sorted()
              .forEach(out::add);
        }
      } else if (Files.isRegularFile(p)) {
        out.add(p);
      } else {
        throw new CliException(p + ": no such file or directory");
      }
    }
    return out;
  }

  private static String lower(Path f) {
    return f.getFileName().toString().toLowerCase(Locale.ROOT);
  }
}
