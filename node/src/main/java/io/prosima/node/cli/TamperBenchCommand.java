package io.prosima.node.cli;

import io.prosima.imaging.model.ImageReconstructor;
import io.prosima.imaging.model.ShippedModels;
import io.prosima.imaging.tamper.TamperBenchmark;
import io.prosima.imaging.tamper.TamperReport;
import io.prosima.imaging.train.SliceDataset;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `prosima bench tamper`: tamper detection and localisation on the validation slices. */
@Command(
    name = "tamper",
    mixinStandardHelpOptions = true,
    description = {
      "Benign copies and malicious local edits of the validation slices, checked by the shipped",
      "verifier, by the verifier with a threshold chosen on training slices (<= 0.5 % false",
      "alarms), and by a per-tile DCT pHash baseline: detection, localisation, false alarms."
    })
public final class TamperBenchCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "Slice directory with manifest.csv.")
  Path data;

  @Option(names = "--models", description = "Models directory (default: the shipped models).")
  Path models;

  @Option(
      names = "--cases",
      defaultValue = "3",
      description =
          "Malicious cases per class, placement (inside a tile / across a border) and slice"
              + " (default ${DEFAULT-VALUE}).")
  int cases;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of every random choice (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--slices",
      defaultValue = "0",
      description = "Use only the first N training and N validation slices (0 = all).")
  int slices;

  @Override
  public Integer call() throws Exception {
    if (cases < 1 || slices < 0) {
      throw new IllegalArgumentException("--cases must be at least 1 and --slices at least 0");
    }
    Path dir = models != null ? models : ShippedModels.defaultDir();
    SliceDataset dataset = SliceDataset.load(data);
    long start = System.nanoTime();
    try (ImageReconstructor model = ImageReconstructor.load(dir)) {
      TamperBenchmark.Result result =
          TamperBenchmark.run(dataset, model, cases, seed, slices, System.err);
      System.out.print(TamperReport.format(result));
    }
    System.err.printf("ran in %.0f s%n", (System.nanoTime() - start) / 1e9);
    return 0;
  }
}
