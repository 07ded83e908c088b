package io.prosima.node.cli;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.model.ImageReconstructor;
import io.prosima.imaging.model.ReconstructBenchmark;
import io.prosima.imaging.model.ShippedModels;
import io.prosima.imaging.train.Corruptions;
import io.prosima.imaging.train.SliceDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `prosima bench reconstruct`: latency per 256x256 slice (p50/p99) and images/s. */
@Command(
    name = "reconstruct",
    mixinStandardHelpOptions = true,
    description = "Reconstruction latency per 256x256 slice (p50/p99) and images/s, one thread.")
public final class ReconstructBenchCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "Slice directory with manifest.csv.")
  Path data;

  @Option(names = "--models", description = "Models directory (default: the shipped models).")
  Path models;

  @Option(
      names = "--iterations",
      defaultValue = "100",
      description = "Timed runs (default ${DEFAULT-VALUE}).")
  int iterations;

  @Option(
      names = "--warmup",
      defaultValue = "10",
      description = "Untimed runs first (default ${DEFAULT-VALUE}).")
  int warmup;

  @Override
  public Integer call() throws Exception {
    Path dir = models != null ? models : ShippedModels.defaultDir();
    List<GrayImage> images = new ArrayList<>();
    Random random = new Random(1);
    for (SliceDataset.Slice s : SliceDataset.load(data).validation()) {
      GrayImage clean = s.image();
      images.add(new GrayImage(256, 256, Corruptions.gaussian(clean.pixels(), 0.05, random)));
    }
    System.out.printf(
        "cores: %d, threads: 1 caller, %d warm-up + %d timed runs%n",
        Runtime.getRuntime().availableProcessors(), warmup, iterations);
    try (ImageReconstructor model = ImageReconstructor.load(dir)) {
      System.out.println(
          ReconstructBenchmark.generatorOnly(model, images, warmup, iterations)
              .format("G with given z* (256x256)"));
      System.out.println(
          ReconstructBenchmark.endToEnd(model, images, warmup, iterations)
              .format("E + G end to end (256x256)"));
    }
    return 0;
  }
}
