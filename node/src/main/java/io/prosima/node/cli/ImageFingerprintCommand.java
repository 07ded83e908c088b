package io.prosima.node.cli;

import io.prosima.node.image.FingerprintFile;
import io.prosima.node.image.ImageFingerprint;
import io.prosima.node.image.ImageInput;
import io.prosima.node.image.Models;
import io.prosima.proto.v1.ImageAnchor;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `prosima image fingerprint FILE --out FP.json`: the leaves `image ingest` would anchor, written
 * to a file instead of the chain, for `image verify FILE --fingerprint FP.json` without a node.
 */
@Command(
    name = "fingerprint",
    mixinStandardHelpOptions = true,
    description = {
      "Write an image's fingerprint without a chain: tile grid, per-tile content hashes, E's",
      "latents and scales, and the Merkle root (the ImageAnchor payload as JSON). Runs the",
      "shipped (or --models) E; the file names that E by its weights hash."
    })
public final class ImageFingerprintCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "The image (PNG, DICOM, NIfTI slice).")
  Path file;

  @Option(names = "--out", required = true, description = "Fingerprint file to write (JSON).")
  Path out;

  @Option(names = "--models", description = "Models directory (default: the shipped models).")
  Path models;

  @Mixin ImageInputOptions input;

  @Override
  public Integer call() throws Exception {
    ImageInput image = input.read(file);
    try (Models.Opened opened =
        Models.openShipped(
            models != null ? models : io.prosima.imaging.model.ShippedModels.defaultDir())) {
      ImageFingerprint fp = ImageFingerprint.of(image.unitImage(), opened);
      ImageAnchor anchor = FingerprintFile.anchorOf(fp, image, opened.label());
      FingerprintFile.write(anchor, out);
      System.out.printf(
          "fingerprint of %dx%d image (%d tiles, E %s), merkle root %s -> %s%n",
          fp.grid().width(),
          fp.grid().height(),
          fp.grid().tileCount(),
          opened.label(),
          HexFormat.of().formatHex(fp.merkleRoot()),
          out);
    }
    return 0;
  }
}
