package io.prosima.imaging.model;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.io.ImageReaders;
import io.prosima.imaging.io.PngImages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * `prosima image reconstruct IN OUT` as an API: read IN (PNG, DICOM, NIfTI slice), scale to [0, 1]
 * (PNG is already; DICOM and NIfTI are min-max normalized, since the models work on [0, 1]),
 * reconstruct with per-tile latents from E of the input itself (there is no chain here) or, when
 * given, the anchored z* from a latents file ({@link io.prosima.imaging.tiling.LatentsFile}), and
 * write OUT as a 16-bit grayscale PNG.
 */
public final class Reconstruction {
  /** What was done, for the one-line report. */
  public record Summary(int width, int height, int tiles, double millis) {
    public String format(Path in, Path out) {
      return String.format(
          Locale.ROOT,
          "reconstructed %s (%dx%d, %d tiles) -> %s in %.1f ms",
          in,
          width,
          height,
          tiles,
          out,
          millis);
    }
  }

  private Reconstruction() {}

  public static Summary reconstructFile(
      ImageReconstructor model, Path in, Path out, int axis, int index) throws IOException {
    return reconstructFile(model, in, out, axis, index, null, null);
  }

  /**
   * As above; {@code latentsIn} (may be null) gives the anchored z* per tile instead of E of the
   * input; {@code latentsOut} (may be null) receives the latents E computed from the input (for a
   * clean image, the fingerprints to anchor).
   */
  public static Summary reconstructFile(
      ImageReconstructor model,
      Path in,
      Path out,
      int axis,
      int index,
      Path latentsIn,
      Path latentsOut)
      throws IOException {
    return reconstructFile(model, in, out, axis, index, 1, latentsIn, latentsOut);
  }

  /** As above, on frame {@code frame} (counted from 1) of a multi-frame DICOM input. */
  public static Summary reconstructFile(
      ImageReconstructor model,
      Path in,
      Path out,
      int axis,
      int index,
      int frame,
      Path latentsIn,
      Path latentsOut)
      throws IOException {
    GrayImage image = ImageReaders.read(in, axis, index, frame);
    String name = in.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!name.endsWith(".png")) {
      image = image.normalizedToUnit();
    }
    long t0 = System.nanoTime();
    java.util.List<io.prosima.imaging.tiling.QuantizedLatent> latents;
    if (latentsIn != null) {
      latents = io.prosima.imaging.tiling.LatentsFile.read(latentsIn);
      int tiles = io.prosima.imaging.tiling.TileGrid.of(image).tileCount();
      if (latents.size() != tiles) {
        throw new io.prosima.imaging.io.ImageFormatException(
            latentsIn
                + " has "
                + latents.size()
                + " latents but "
                + in
                + " has "
                + tiles
                + " tiles");
      }
    } else {
      latents = model.latents(image);
    }
    if (latentsOut != null) {
      io.prosima.imaging.tiling.LatentsFile.write(model.latents(image), latentsOut);
    }
    GrayImage result = model.reconstruct(image, latents);
    double ms = (System.nanoTime() - t0) / 1e6;
    PngImages.write16(result, out);
    int tiles = io.prosima.imaging.tiling.TileGrid.of(image).tileCount();
    return new Summary(image.width(), image.height(), tiles, ms);
  }
}
