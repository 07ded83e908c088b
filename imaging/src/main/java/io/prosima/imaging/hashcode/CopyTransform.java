package io.prosima.imaging.hashcode;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.tamper.InsertedLesion;
import io.prosima.imaging.tamper.IntensityChange;
import io.prosima.imaging.tamper.JpegRecompression;
import io.prosima.imaging.tamper.Placement;
import io.prosima.imaging.tamper.Region;
import io.prosima.imaging.tamper.RegionPicker;
import io.prosima.imaging.tamper.RemovedStructure;
import io.prosima.imaging.train.Corruptions;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * What may happen to an anchored image before an auditor finds a copy of it: re-saving, noise, a
 * shift or crop of a few pixels, a changed intensity window, a local edit. Each transform draws its
 * parameters from the given random source, so a seed replays a copy exactly. Used to train the
 * projection (on training slices) and by the retrieval benchmark (on validation slices).
 */
public enum CopyTransform {
  NOISE_002("gaussian noise s0.02"),
  NOISE_005("gaussian noise s0.05"),
  RICIAN_003("rician noise s0.03"),
  REQUANT_JPEG("8-bit requantisation + JPEG q85"),
  SHIFT("shift 1-4 px"),
  CROP("crop 2-8 px off each border"),
  WINDOW("intensity window change"),
  LESION("local edit: inserted lesion"),
  REMOVED("local edit: removed structure"),
  REGION_INTENSITY("local edit: region intensity +-30%"),
  COMBINED("shift + crop + window + noise s0.02");

  /** Largest shift of {@link #SHIFT} and {@link #COMBINED}, in pixels per axis. */
  public static final int SHIFT_PX_MAX = 4;

  /** Largest crop of {@link #CROP}, in pixels per border. */
  public static final int CROP_PX_MAX = 8;

  private final String label;

  CopyTransform(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static List<CopyTransform> all() {
    return List.of(values());
  }

  public GrayImage apply(GrayImage image, Random random) throws IOException {
    return switch (this) {
      case NOISE_002 -> noise(image, 0.02, random);
      case NOISE_005 -> noise(image, 0.05, random);
      case RICIAN_003 ->
          new GrayImage(
                  image.width(), image.height(), Corruptions.rician(image.pixels(), 0.03, random))
              .clippedToUnit();
      case REQUANT_JPEG -> new JpegRecompression(85).apply(requantised(image), random);
      case SHIFT -> shift(image, nonZero(random), nonZero(random));
      case CROP ->
          crop(
              image,
              2 + random.nextInt(CROP_PX_MAX - 1),
              2 + random.nextInt(CROP_PX_MAX - 1),
              2 + random.nextInt(CROP_PX_MAX - 1),
              2 + random.nextInt(CROP_PX_MAX - 1));
      case WINDOW -> window(image, 0.05 * random.nextDouble(), 0.8 + 0.15 * random.nextDouble());
      case LESION -> lesion(image, random);
      case REMOVED -> local(image, new RemovedStructure(21, 3.0), random);
      case REGION_INTENSITY ->
          local(image, new IntensityChange(24, random.nextBoolean() ? 1.3 : 0.7), random);
      case COMBINED -> {
        GrayImage g = shift(image, nonZero(random), nonZero(random));
        g = crop(g, 1 + random.nextInt(4), 1 + random.nextInt(4), 1 + random.nextInt(4), 0);
        g = window(g, 0.03 * random.nextDouble(), 0.85 + 0.1 * random.nextDouble());
        yield noise(g, 0.02, random);
      }
    };
  }

  private static int nonZero(Random random) {
    int v = 1 + random.nextInt(SHIFT_PX_MAX);
    return random.nextBoolean() ? v : -v;
  }

  /** Gaussian noise of standard deviation {@code sigma}, clipped to [0, 1]. */
  public static GrayImage noise(GrayImage image, double sigma, Random random) {
    return new GrayImage(
            image.width(), image.height(), Corruptions.gaussian(image.pixels(), sigma, random))
        .clippedToUnit();
  }

  static GrayImage requantised(GrayImage image) {
    float[] px = image.pixels();
    for (int i = 0; i < px.length; i++) {
      px[i] = Math.round(Math.min(1f, Math.max(0f, px[i])) * 255) / 255f;
    }
    return new GrayImage(image.width(), image.height(), px);
  }

  /** Content moved by (dx, dy); uncovered pixels are 0 (background). */
  public static GrayImage shift(GrayImage image, int dx, int dy) {
    int w = image.width();
    int h = image.height();
    float[] src = image.pixels();
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      int sy = y - dy;
      if (sy < 0 || sy >= h) {
        continue;
      }
      for (int x = 0; x < w; x++) {
        int sx = x - dx;
        if (sx >= 0 && sx < w) {
          out[y * w + x] = src[sy * w + sx];
        }
      }
    }
    return new GrayImage(w, h, out);
  }

  /** The image without {@code left, top, right, bottom} pixels at its borders (a smaller image). */
  public static GrayImage crop(GrayImage image, int left, int top, int right, int bottom) {
    int w = image.width() - left - right;
    int h = image.height() - top - bottom;
    float[] src = image.pixels();
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      System.arraycopy(src, (y + top) * image.width() + left, out, y * w, w);
    }
    return new GrayImage(w, h, out);
  }

  /** A display window [lo, hi] mapped to [0, 1] and clipped. */
  public static GrayImage window(GrayImage image, double lo, double hi) {
    float[] px = image.pixels();
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) Math.min(1, Math.max(0, (px[i] - lo) / (hi - lo)));
    }
    return new GrayImage(image.width(), image.height(), px);
  }

  private static GrayImage lesion(GrayImage image, Random random) {
    int r =
        InsertedLesion.RADIUS_PX_MIN
            + random.nextInt(InsertedLesion.RADIUS_PX_MAX - InsertedLesion.RADIUS_PX_MIN + 1);
    double a =
        InsertedLesion.AMPLITUDE_MIN
            + random.nextDouble() * (InsertedLesion.AMPLITUDE_MAX - InsertedLesion.AMPLITUDE_MIN);
    return local(image, new InsertedLesion(r, random.nextBoolean() ? a : -a), random);
  }

  private static GrayImage local(
      GrayImage image, io.prosima.imaging.tamper.LocalEdit edit, Random random) {
    Optional<Region> region =
        RegionPicker.pick(image, edit.sidePx(), Placement.INSIDE_TILE, random)
            .or(() -> RegionPicker.pickAnywhere(image, edit.sidePx(), random));
    return region.map(r -> edit.apply(image, r)).orElse(image);
  }
}
