package io.prosima.node.cli;

import io.prosima.imaging.hashcode.HashCodeTrainer;
import io.prosima.imaging.hashcode.HashCoder;
import io.prosima.imaging.hashcode.HashProjection;
import io.prosima.imaging.model.AnchoredModel;
import io.prosima.imaging.model.ImageReconstructor;
import io.prosima.imaging.model.ModelExport;
import io.prosima.imaging.model.ShippedModels;
import io.prosima.imaging.train.SliceDataset;
import io.prosima.proto.wire.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `prosima model train-hashcode`: fits the similarity-code projection on the training slices. */
@Command(
    name = "train-hashcode",
    mixinStandardHelpOptions = true,
    description =
        "Fit the 128-bit similarity-code projection (Fisher LDA + ITQ on E's latents) on the"
            + " training slices; the shipped E is not changed.")
public final class ModelTrainHashcodeCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "Slice directory with manifest.csv.")
  Path data;

  @Option(
      names = "--out",
      required = true,
      description = "Output directory (the shipped one is imaging/models/hashcode).")
  Path out;

  @Option(names = "--models", description = "Models directory holding E (default: shipped).")
  Path models;

  @Option(names = "--method", defaultValue = "lda", description = "lda or pca (${DEFAULT-VALUE}).")
  String method;

  @Option(
      names = "--views",
      defaultValue = "6",
      description = "Transformed copies per class (${DEFAULT-VALUE}).")
  int views;

  @Option(
      names = "--ridge",
      defaultValue = "0.1",
      description = "Within-class scatter regularisation (${DEFAULT-VALUE}).")
  double ridge;

  @Option(
      names = "--levels",
      defaultValue = "1",
      description =
          "Thresholds per projected direction: 1 = sign bits after ITQ, L > 1 = thermometer code"
              + " over 128 / L directions (${DEFAULT-VALUE}).")
  int levels;

  @Option(
      names = "--feature-cache",
      description = "Reuse (or write) the training features in this file.")
  Path featureCache;

  @Option(names = "--seed", defaultValue = "16", description = "Seed (${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    Path dir = models != null ? models : ShippedModels.defaultDir();
    var config = new HashCodeTrainer.Config(method, views, ridge, levels, seed);
    SliceDataset dataset = SliceDataset.load(data);
    long t0 = System.nanoTime();
    HashProjection p;
    try (ImageReconstructor e = ImageReconstructor.load(dir)) {
      p = HashCodeTrainer.train(dataset, e::embed, config, featureCache, System.err::println);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Files.createDirectories(out);
    Path file = out.resolve(HashCoder.FILE);
    p.write(file);
    String sha = HexFormat.of().formatHex(Sha256.hash(Files.readAllBytes(file)));
    String encoderSha =
        HexFormat.of().formatHex(AnchoredModel.weightsSha256(dir.resolve(ModelExport.ENCODER_DIR)));
    String props =
        String.format(
            Locale.ROOT,
            "# prosima model train-hashcode --data %s --out %s --method %s --views %d --ridge %s"
                + " --levels %d --seed %d%n"
                + "method=%s%nviews=%d%nridge=%s%nlevels=%d%nseed=%d%nbits=%d%ndimensions=%d%n"
                + "training_slices=%d%nclasses=%d%nencoder_weights_sha256=%s%n"
                + "projection_sha256=%s%ntraining_seconds=%.1f%n",
            data,
            out,
            method,
            views,
            ridge,
            levels,
            seed,
            method,
            views,
            ridge,
            levels,
            seed,
            p.bits(),
            p.dimensions(),
            dataset.train().size(),
            4 * dataset.train().size(),
            encoderSha,
            sha,
            seconds);
    Files.writeString(out.resolve("training.properties"), props);
    System.out.printf(
        Locale.ROOT,
        "wrote %s (%d x %d, sha256 %s) in %.1f s from %d training slices%n",
        file,
        p.dimensions(),
        p.bits(),
        sha,
        seconds,
        dataset.train().size());
    return 0;
  }
}
