package io.prosima.node.cli;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.model.ImageReconstructor;
import io.prosima.imaging.model.ModelEvaluation;
import io.prosima.imaging.model.ModelExport;
import io.prosima.imaging.model.ShippedModels;
import io.prosima.imaging.train.SliceDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `prosima model eval`: the evaluation table on the validation slices. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate on the validation slices: noisy input, G pixel-loss only, G all losses without",
      "conditioning, full G (PSNR, SSIM, embedding cosine, latency per image)."
    })
public final class ModelEvalCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "Slice directory with manifest.csv.")
  Path data;

  @Option(
      names = "--sigma",
      split = ",",
      defaultValue = "0.02,0.05,0.10,0.15",
      description = "Gaussian noise levels (default ${DEFAULT-VALUE}).")
  double[] sigmas;

  @Option(
      names = "--rician",
      split = ",",
      defaultValue = "0.02,0.05",
      description =
          "Rician noise levels, the magnitude noise of MR images (default ${DEFAULT-VALUE};"
              + " empty for none).")
  double[] ricianSigmas;

  @Option(names = "--models", description = "Models directory (default: the shipped models).")
  Path models;

  @Option(
      names = "--slices",
      defaultValue = "0",
      description = "Use only the first N validation slices (0 = all).")
  int slices;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Noise seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    Path dir = models != null ? models : ShippedModels.defaultDir();
    SliceDataset dataset = SliceDataset.load(data);
    List<GrayImage> val = new ArrayList<>();
    for (SliceDataset.Slice s : dataset.validation()) {
      val.add(s.image());
    }
    if (slices > 0 && slices < val.size()) {
      val = val.subList(0, slices);
    }
    try (ImageReconstructor full = ImageReconstructor.load(dir);
        ImageReconstructor pixel = loadIfPresent(ShippedModels.ablation(dir, "pixel"));
        ImageReconstructor nocond = loadIfPresent(ShippedModels.ablation(dir, "nocond"))) {
      List<ModelEvaluation.Row> rows =
          ModelEvaluation.run(val, noises(), full, pixel, nocond, seed, System.err);
      System.out.print(ModelEvaluation.format(rows, val.size()));
    }
    return 0;
  }

  private List<ModelEvaluation.Noise> noises() {
    List<ModelEvaluation.Noise> noises = new ArrayList<>();
    for (double s : sigmas) {
      noises.add(new ModelEvaluation.Noise(ModelEvaluation.Noise.Kind.GAUSSIAN, s));
    }
    for (double s : ricianSigmas == null ? new double[0] : ricianSigmas) {
      noises.add(new ModelEvaluation.Noise(ModelEvaluation.Noise.Kind.RICIAN, s));
    }
    for (ModelEvaluation.Noise n : noises) {
      if (!(n.sigma() > 0 && n.sigma() <= 1)) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "noise sigma must be in (0, 1]: " + n.sigma());
      }
    }
    return noises;
  }

  private static ImageReconstructor loadIfPresent(Path dir) throws java.io.IOException {
    if (!Files.isRegularFile(dir.resolve(ModelExport.GENERATOR_DIR).resolve("saved_model.pb"))) {
      System.err.println("note: no model in " + dir + "; its rows are reported as missing");
      return null;
    }
    return ImageReconstructor.load(dir);
  }
}
