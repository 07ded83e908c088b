package io.prosima.imaging.tamper;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.model.ImageReconstructor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The benchmark's cases (issue 13). Benign, on the whole image: Gaussian noise sigma 0.01 / 0.03 /
 * 0.05, Rician noise sigma 0.02, 16->8-bit requantisation, JPEG quality 90, and G's reconstruction
 * of a sigma-0.05 copy. Malicious, each inside the anatomy ({@link RegionPicker}) and drawn both
 * inside one tile and across a tile border: copy-move and splice of a 16x16 block, an inserted
 * lesion (radius 3-8 px, amplitude +-0.08-0.2), a removed structure (16x16 blurred, sigma 4 px), an
 * intensity change of +-10 % in 16x16. Every random choice comes from the caller's {@link Random},
 * so one seed gives the same cases.
 */
public final class TamperCases {
  /** Side of the copy-move, splice, removal and intensity edits. */
  public static final int BLOCK_PX = 16;

  public static final double[] GAUSSIAN_SIGMAS = {0.01, 0.03, 0.05};
  public static final double RICIAN_SIGMA = 0.02;
  public static final int JPEG_QUALITY = 90;
  public static final double G_INPUT_SIGMA = 0.05;

  /** Blur of a removed structure: wide enough to erase detail of a few pixels inside 16x16. */
  public static final double REMOVAL_BLUR_SIGMA_PX = 4;

  public static final double INTENSITY_CHANGE = 0.10;

  private TamperCases() {}

  /** One malicious case: the report's class label, where it sits, the edit and its region. */
  public record Malicious(String group, Placement placement, LocalEdit edit, Region region) {
    public GrayImage apply(GrayImage clean) {
      return edit.apply(clean, region);
    }
  }

  /** The benign edits, in report order; G's reconstruction uses {@code model}. */
  public static List<BenignEdit> benign(ImageReconstructor model) {
    List<BenignEdit> out = new ArrayList<>();
    for (double s : GAUSSIAN_SIGMAS) {
      out.add(new GaussianNoise(s));
    }
    out.add(new RicianNoise(RICIAN_SIGMA));
    out.add(new Requantization());
    out.add(new JpegRecompression(JPEG_QUALITY));
    out.add(new GeneratorRoundTrip(model, G_INPUT_SIGMA));
    return out;
  }

  /**
   * {@code perClass} cases of each malicious class and placement on {@code slice}; splices take
   * their block from {@code donor}. A case with no room in the anatomy (a small slice) is left out.
   */
  public static List<Malicious> draw(
      GrayImage slice, GrayImage donor, int perClass, Random random) {
    List<Malicious> out = new ArrayList<>();
    for (Placement p : Placement.values()) {
      for (int c = 0; c < perClass; c++) {
        Optional<Region> at = RegionPicker.pick(slice, BLOCK_PX, p, random);
        Optional<Region> from =
            at.flatMap(r -> RegionPicker.pickDisjoint(slice, BLOCK_PX, r, random));
        if (at.isPresent() && from.isPresent()) {
          out.add(new Malicious("copy-move 16px", p, new CopyMove(from.get()), at.get()));
        }

        at = RegionPicker.pick(slice, BLOCK_PX, p, random);
        from = RegionPicker.pickAnywhere(donor, BLOCK_PX, random);
        if (at.isPresent() && from.isPresent()) {
          out.add(new Malicious("splice 16px", p, new Splice(donor, from.get()), at.get()));
        }

        int radius =
            InsertedLesion.RADIUS_PX_MIN
                + random.nextInt(InsertedLesion.RADIUS_PX_MAX - InsertedLesion.RADIUS_PX_MIN + 1);
        double amplitude =
            (random.nextBoolean() ? 1 : -1)
                * (InsertedLesion.AMPLITUDE_MIN
                    + (InsertedLesion.AMPLITUDE_MAX - InsertedLesion.AMPLITUDE_MIN)
                        * random.nextDouble());
        InsertedLesion lesion = new InsertedLesion(radius, amplitude);
        at = RegionPicker.pick(slice, lesion.sidePx(), p, random);
        if (at.isPresent()) {
          out.add(new Malicious(lesionGroup(radius), p, lesion, at.get()));
        }

        at = RegionPicker.pick(slice, BLOCK_PX, p, random);
        if (at.isPresent()) {
          out.add(
              new Malicious(
                  "removed 16px (blur)",
                  p,
                  new RemovedStructure(BLOCK_PX, REMOVAL_BLUR_SIGMA_PX),
                  at.get()));
        }

        double factor = 1 + (random.nextBoolean() ? INTENSITY_CHANGE : -INTENSITY_CHANGE);
        at = RegionPicker.pick(slice, BLOCK_PX, p, random);
        if (at.isPresent()) {
          out.add(
              new Malicious(
                  "intensity +-10% 16px", p, new IntensityChange(BLOCK_PX, factor), at.get()));
        }
      }
    }
    return out;
  }

  /** Lesions are reported by size: radius 3-4, 5-6, 7-8 px. */
  static String lesionGroup(int radius) {
    int lo = radius % 2 == 1 ? radius : radius - 1;
    return "lesion r" + lo + "-" + (lo + 1) + "px";
  }
}
