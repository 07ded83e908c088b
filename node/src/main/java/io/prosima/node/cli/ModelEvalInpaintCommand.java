package io.prosima.node.cli;

import io.prosima.imaging.inpaint.InpaintEvaluation;
import io.prosima.imaging.inpaint.LatentContentProbe;
import io.prosima.imaging.inpaint.TileInpainter;
import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.model.ImageReconstructor;
import io.prosima.imaging.model.ShippedModels;
import io.prosima.imaging.train.SliceDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `prosima model eval-inpaint`: the lost-tile table on the validation slices. */
@Command(
    name = "eval-inpaint",
    mixinStandardHelpOptions = true,
    description = {
      "Lost tiles rebuilt, on the validation slices only: each tile with anatomy lost alone and",
      "each adjacent pair lost together; PSNR/SSIM on the lost tiles for the harmonic fill, the",
      "inpainting G with z = 0 and the same G with the anchored latents z*."
    })
public final class ModelEvalInpaintCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "Slice directory with manifest.csv.")
  Path data;

  @Option(
      names = "--models",
      description = "Models directory: its E makes z* (default: the shipped models).")
  Path models;

  @Option(
      names = "--inpaint-model",
      description = "Inpainting model directory holding generator/ (default: MODELS/inpaint).")
  Path inpaintModel;

  @Option(
      names = "--slices",
      defaultValue = "0",
      description = "Use only the first N validation slices (0 = all).")
  int slices;

  @Option(
      names = "--latent-probe",
      description =
          "Also measure what z* alone gives back (ridge z* -> 8x8 block means fitted on the"
              + " training slices, nearest training tile by z*), scored on the validation slices.")
  boolean latentProbe;

  @Override
  public Integer call() throws Exception {
    if (slices < 0) {
      throw new IllegalArgumentException("--slices must be >= 0");
    }
    Path dir = models != null ? models : ShippedModels.defaultDir();
    Path inpaintDir = inpaintModel != null ? inpaintModel : TileInpainter.dirUnder(dir);
    SliceDataset dataset = SliceDataset.load(data);
    List<GrayImage> val = new ArrayList<>();
    for (SliceDataset.Slice s : dataset.validation()) {
      val.add(s.image());
    }
    if (slices > 0 && slices < val.size()) {
      val = val.subList(0, slices);
    }
    try (ImageReconstructor encoder = ImageReconstructor.load(dir);
        TileInpainter inpainter = TileInpainter.load(inpaintDir)) {
      List<InpaintEvaluation.Row> rows = InpaintEvaluation.run(val, encoder, inpainter, System.err);
      System.out.print(InpaintEvaluation.format(rows, val.size()));
      if (latentProbe) {
        List<GrayImage> train = new ArrayList<>();
        for (SliceDataset.Slice s : dataset.train()) {
          train.add(s.image());
        }
        System.out.print(LatentContentProbe.run(train, val, encoder).format());
      }
    }
    return 0;
  }
}
