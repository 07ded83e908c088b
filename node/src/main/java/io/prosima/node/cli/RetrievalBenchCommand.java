package io.prosima.node.cli;

import io.prosima.imaging.hashcode.HashCoder;
import io.prosima.imaging.hashcode.HashProjection;
import io.prosima.imaging.hashcode.RetrievalBenchmark;
import io.prosima.imaging.model.ImageReconstructor;
import io.prosima.imaging.model.ShippedModels;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `prosima bench retrieval`: recall@1, mAP@10 and query latency of the similarity codes. */
@Command(
    name = "retrieval",
    mixinStandardHelpOptions = true,
    description =
        "Find the anchored source of transformed copies by similarity code: recall@1, mAP@10 and"
            + " query latency at 1k, 10k and 100k indexed codes.")
public final class RetrievalBenchCommand implements Callable<Integer> {
  @Option(
      names = "--data",
      defaultValue = "../shared/data/mri/human-t1-axial",
      description = "Slice directory with manifest.csv (${DEFAULT-VALUE}).")
  Path data;

  @Option(
      names = "--dicom",
      defaultValue = "../shared/data/dicom",
      description = "DICOM files anchored as other-modality distractors (${DEFAULT-VALUE}).")
  Path dicom;

  @Option(names = "--models", description = "Models directory (default: the shipped models).")
  Path models;

  @Option(
      names = "--projection",
      description = "Projection file (default: the shipped hashcode/projection.bin).")
  Path projection;

  @Option(names = "--seed", defaultValue = "2026", description = "Query seed (${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--sizes",
      split = ",",
      defaultValue = "1000,10000,100000",
      description = "Index sizes (${DEFAULT-VALUE}).")
  int[] sizes;

  @Override
  public Integer call() throws Exception {
    Path dir = models != null ? models : ShippedModels.defaultDir();
    Path file = projection != null ? projection : HashCoder.shippedFile(dir);
    HashProjection p = HashProjection.read(file);
    System.out.printf(
        "cores: %d; projection %s (%d -> %d bits)%n",
        Runtime.getRuntime().availableProcessors(), file, p.dimensions(), p.bits());
    try (ImageReconstructor e = ImageReconstructor.load(dir)) {
      RetrievalBenchmark.run(
          new HashCoder(e::embed, p),
          new RetrievalBenchmark.Config(data, dicom, seed, sizes),
          System.out::println);
    }
    return 0;
  }
}
