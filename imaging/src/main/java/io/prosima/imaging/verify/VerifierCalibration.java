package io.prosima.imaging.verify;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.model.ImageReconstructor;
import io.prosima.imaging.model.ShippedModels;
import io.prosima.imaging.tiling.TileGrid;
import io.prosima.imaging.tiling.TileHashes;
import io.prosima.imaging.train.Corruptions;
import io.prosima.imaging.train.SliceDataset;
import io.prosima.proto.v1.TileLeaf;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Measures the cosines the verifier computes, per class of benign change and of tampering, on the
 * validation slices (indices 120-149 and 230-259; never the training slices), and the threshold
 * that best separates them. Every figure comes from {@link ImageVerifier#verify} itself, so it
 * measures the code that runs.
 *
 * <p>Run from the repository root (data is reached as {@code ../shared/data}):
 *
 * <pre>
 * mvn -B -q -pl imaging -am compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -cp imaging/target/classes:$(cat imaging/target/classpath.txt) \
 *     io.prosima.imaging.verify.VerifierCalibration [slicesDir] [modelsDir]
 * </pre>
 *
 * <p>Tiles are split by the clean tile's foreground ({@link ImageVerifier#foregroundFraction}):
 * "fg" at least {@link #FOREGROUND_TILE_MIN}, "bg" at most {@link
 * ImageVerifier#LOW_INFORMATION_FOREGROUND_MAX}, "edge" between. The threshold is chosen on fg
 * tiles; the end-to-end rates use the verifier's full rule (low-information tiles included).
 */
public final class VerifierCalibration {
  /** A clean tile with at least this foreground fraction is a foreground tile. */
  static final double FOREGROUND_TILE_MIN = 0.10;

  static final String DEFAULT_SLICES = "../shared/data/mri/human-t1-axial";
  static final long SEED = 20261201L;

  private VerifierCalibration() {}

  private record Sample(String kind, boolean benign, String category, double cosine) {}

  /** One verified image: its case and the lowest cosine over its changed tiles (1 if none). */
  private record ImageCase(String kind, boolean benign, String category, double minCosine) {}

  public static void main(String[] args) throws IOException {
    Path slices = Path.of(args.length > 0 ? args[0] : DEFAULT_SLICES);
    Path models = args.length > 1 ? Path.of(args[1]) : ShippedModels.defaultDir();
    List<SliceDataset.Slice> validation = SliceDataset.load(slices).validation();
    System.out.printf(
        Locale.ROOT,
        "validation slices: %d from %s; models %s%n",
        validation.size(),
        slices,
        models);
    long started = System.nanoTime();
    List<Sample> samples = new ArrayList<>();
    List<ImageCase> images = new ArrayList<>();
    // End-to-end verdict counts at the compiled thresholds.
    Map<String, int[]> verdicts = new LinkedHashMap<>(); // kind -> {cases, judged tampered, exact}
    try (ImageReconstructor model = ImageReconstructor.load(models)) {
      for (int k = 0; k < validation.size(); k++) {
        GrayImage clean = validation.get(k).image();
        GrayImage distant = validation.get((k + validation.size() / 2) % validation.size()).image();
        List<TileLeaf> leaves = TileHashes.leaves(clean, model.latents(clean));
        TileGrid grid = TileGrid.of(clean);
        String[] category = new String[grid.tileCount()];
        List<Integer> fgTiles = new ArrayList<>();
        for (int t = 0; t < grid.tileCount(); t++) {
          double fg = ImageVerifier.foregroundFraction(grid.tile(clean, t));
          category[t] =
              fg >= FOREGROUND_TILE_MIN
                  ? "fg"
                  : fg <= ImageVerifier.LOW_INFORMATION_FOREGROUND_MAX ? "bg" : "edge";
          if (category[t].equals("fg")) {
            fgTiles.add(t);
          }
        }
        Random random = new Random(SEED + k);
        Map<String, GrayImage> benign = new LinkedHashMap<>();
        for (double sigma : new double[] {0.01, 0.02, 0.05, 0.10}) {
          benign.put(
              String.format(Locale.ROOT, "noise %.2f", sigma),
              new GrayImage(256, 256, Corruptions.gaussian(clean.pixels(), sigma, random))
                  .clippedToUnit());
        }
        benign.put("requant 8-bit", map(clean, v -> Math.round(v * 255f) / 255f));
        benign.put("requant 6-bit", map(clean, v -> Math.round(v * 63f) / 63f));
        GrayImage g = model.reconstruct(benign.get("noise 0.05"));
        benign.put("G(noise 0.05)", g);
        benign.put("G(noise 0.05) 8-bit", map(g, v -> Math.round(v * 255f) / 255f));
        benign.put("brightness +0.02", map(clean, v -> Math.min(1f, v + 0.02f)));
        benign.put("brightness x1.05", map(clean, v -> Math.min(1f, v * 1.05f)));
        for (var e : benign.entrySet()) {
          VerificationResult r = ImageVerifier.verify(e.getValue(), grid, leaves, model);
          count(
              verdicts,
              e.getKey(),
              r.verdict() == Verdict.TAMPERED,
              r.verdict() == Verdict.AUTHENTIC);
          images.add(new ImageCase(e.getKey(), true, "all", minCosine(r)));
          for (TileCheck c : r.tiles()) {
            if (!Double.isNaN(c.cosine())) {
              samples.add(new Sample(e.getKey(), true, category[c.index()], c.cosine()));
            }
          }
        }
        for (int t = 0; t < grid.tileCount(); t++) {
          final int tile = t;
          Map<String, float[]> tampered = new LinkedHashMap<>();
          tampered.put("distant slice tile", grid.tile(distant, t));
          List<Integer> donors = new ArrayList<>(fgTiles);
          donors.remove(Integer.valueOf(t));
          if (!donors.isEmpty()) {
            tampered.put("copy-move", grid.tile(clean, donors.get(random.nextInt(donors.size()))));
          }
          int radius = 6 + random.nextInt(9);
          tampered.put(
              radius < 10 ? "disc r6-9" : "disc r10-14", disc(grid.tile(clean, t), radius, random));
          tampered.put("blanked", new float[TileGrid.TILE_PX * TileGrid.TILE_PX]);
          for (var e : tampered.entrySet()) {
            GrayImage altered = replaceTile(clean, grid, tile, e.getValue());
            VerificationResult r = ImageVerifier.verify(altered, grid, leaves, model);
            TileCheck c = r.tiles().get(t);
            if (c.exactMatch()) {
              continue; // e.g. blanking a tile that was already blank: nothing changed
            }
            count(
                verdicts,
                e.getKey() + " [" + category[t] + "]",
                r.tamperedTiles().equals(List.of(t)),
                false);
            if (!Double.isNaN(c.cosine())) {
              samples.add(new Sample(e.getKey(), false, category[t], c.cosine()));
              images.add(new ImageCase(e.getKey(), false, category[t], c.cosine()));
            }
          }
        }
      }
    }
    System.out.printf(Locale.ROOT, "measured in %.1f s%n%n", (System.nanoTime() - started) / 1e9);
    printDistributions(samples);
    sweep(images);
    chooseThreshold(samples, false);
    chooseThreshold(samples, true);
    System.out.printf(
        Locale.ROOT,
        "%nEnd to end with ImageVerifier.verify at COSINE_MIN %.3f (images):%n",
        ImageVerifier.COSINE_MIN);
    System.out.printf(
        Locale.ROOT, "%-28s %6s %9s %9s%n", "case", "images", "TAMPERED", "AUTHENTIC");
    for (var e : verdicts.entrySet()) {
      int[] v = e.getValue();
      System.out.printf(
          Locale.ROOT,
          "%-28s %6d %8.1f%% %8.1f%%%n",
          e.getKey(),
          v[0],
          100.0 * v[1] / v[0],
          100.0 * v[2] / v[0]);
    }
    System.out.println("(tampering rows: TAMPERED = the verdict names exactly the altered tile)");
  }

  private static double minCosine(VerificationResult r) {
    double min = 1;
    for (TileCheck c : r.tiles()) {
      if (!Double.isNaN(c.cosine())) {
        min = Math.min(min, c.cosine());
      }
    }
    return min;
  }

  static final double[] SWEEP = {0.90, 0.92, 0.94, 0.95, 0.96, 0.97, 0.975, 0.98, 0.985, 0.99};

  /**
   * Image-level rates per threshold: a benign image is a false alarm when any changed tile is
   * below; a tampered image (one altered tile) is detected when that tile is below.
   */
  private static void sweep(List<ImageCase> images) {
    System.out.printf(
        Locale.ROOT,
        "%nThreshold sweep (images; tampering of fg+edge tiles; a benign image is a false alarm"
            + " when any tile is below):%n%6s %11s %11s %11s %11s %11s %11s%n",
        "thr",
        "det all",
        "det no-disc",
        "det disc<10",
        "det disc>=10",
        "FA benign*",
        "FA noise.10");
    Predicate<ImageCase> tamperedTissue = c -> !c.benign() && !c.category().equals("bg");
    for (double thr : SWEEP) {
      System.out.printf(
          Locale.ROOT,
          "%6.3f %10.2f%% %10.2f%% %10.2f%% %10.2f%% %10.2f%% %10.2f%%%n",
          thr,
          rate(images, thr, tamperedTissue),
          rate(images, thr, tamperedTissue.and(c -> !c.kind().startsWith("disc"))),
          rate(images, thr, tamperedTissue.and(c -> c.kind().equals("disc r6-9"))),
          rate(images, thr, tamperedTissue.and(c -> c.kind().equals("disc r10-14"))),
          rate(images, thr, c -> c.benign() && !c.kind().equals("noise 0.10")),
          rate(images, thr, c -> c.benign() && c.kind().equals("noise 0.10")));
    }
    System.out.println("(* benign = every benign class except noise 0.10)");
  }

  private static double rate(List<ImageCase> images, double thr, Predicate<ImageCase> which) {
    int n = 0;
    int hit = 0;
    for (ImageCase c : images) {
      if (which.test(c)) {
        n++;
        hit += c.minCosine() < thr ? 1 : 0;
      }
    }
    return n == 0 ? Double.NaN : 100.0 * hit / n;
  }

  private static void count(Map<String, int[]> counts, String key, boolean hit, boolean exact) {
    int[] c = counts.computeIfAbsent(key, x -> new int[3]);
    c[0]++;
    c[1] += hit ? 1 : 0;
    c[2] += exact ? 1 : 0;
  }

  private static void printDistributions(List<Sample> samples) {
    System.out.printf(
        Locale.ROOT,
        "%-22s %-4s %5s %7s %7s %7s %7s %7s%n",
        "class",
        "tile",
        "n",
        "min",
        "p5",
        "median",
        "p95",
        "max");
    Map<String, List<Double>> groups = new LinkedHashMap<>();
    for (String category : new String[] {"fg", "edge", "bg"}) {
      for (Sample s : samples) {
        if (s.category().equals(category)) {
          groups
              .computeIfAbsent(
                  (s.benign() ? "+ " : "- ") + s.kind() + "\t" + category, x -> new ArrayList<>())
              .add(s.cosine());
        }
      }
    }
    for (var e : groups.entrySet()) {
      List<Double> v = e.getValue();
      Collections.sort(v);
      String[] key = e.getKey().split("\t");
      System.out.printf(
          Locale.ROOT,
          "%-22s %-4s %5d %7.4f %7.4f %7.4f %7.4f %7.4f%n",
          key[0],
          key[1],
          v.size(),
          v.get(0),
          quantile(v, 0.05),
          quantile(v, 0.5),
          quantile(v, 0.95),
          v.get(v.size() - 1));
    }
    System.out.println("(+ benign, - tampered; cosine of E(tile) to the anchored int8 latent)");
  }

  /** The fg-tile threshold maximising detection minus false alarms (ties: middle of the gap). */
  private static void chooseThreshold(List<Sample> samples, boolean withSigma010) {
    List<Double> benign = new ArrayList<>();
    List<Double> tampered = new ArrayList<>();
    for (Sample s : samples) {
      if (!s.category().equals("fg")) {
        continue;
      }
      if (s.benign() && (withSigma010 || !s.kind().equals("noise 0.10"))) {
        benign.add(s.cosine());
      } else if (!s.benign()) {
        tampered.add(s.cosine());
      }
    }
    Collections.sort(benign);
    Collections.sort(tampered);
    List<Double> candidates = new ArrayList<>(benign);
    candidates.addAll(tampered);
    Collections.sort(candidates);
    double best = Double.NEGATIVE_INFINITY;
    double bestLo = 0;
    double bestHi = 0;
    for (int i = 0; i + 1 < candidates.size(); i++) {
      double thr = (candidates.get(i) + candidates.get(i + 1)) / 2;
      double score = below(tampered, thr) - below(benign, thr);
      if (score > best + 1e-12) {
        best = score;
        bestLo = candidates.get(i);
        bestHi = candidates.get(i + 1);
      }
    }
    double thr = (bestLo + bestHi) / 2;
    System.out.printf(
        Locale.ROOT,
        "%nfg tiles%s: min benign %.4f, max tampered %.4f; best threshold %.4f:"
            + " detection %.2f%% (%d), false alarms %.2f%% (%d)%n",
        withSigma010 ? " incl. noise 0.10" : " excl. noise 0.10",
        benign.get(0),
        tampered.get(tampered.size() - 1),
        thr,
        100 * below(tampered, thr),
        tampered.size(),
        100 * below(benign, thr),
        benign.size());
    double compiled = ImageVerifier.COSINE_MIN;
    System.out.printf(
        Locale.ROOT,
        "  at COSINE_MIN %.3f: detection %.2f%%, false alarms %.2f%%%n",
        compiled,
        100 * below(tampered, compiled),
        100 * below(benign, compiled));
  }

  private static double below(List<Double> sorted, double thr) {
    int n = 0;
    for (double v : sorted) {
      n += v < thr ? 1 : 0;
    }
    return n / (double) sorted.size();
  }

  private static double quantile(List<Double> sorted, double q) {
    return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
  }

  private static GrayImage map(GrayImage image, UnaryOperator<Float> f) {
    float[] px = image.pixels();
    for (int i = 0; i < px.length; i++) {
      px[i] = f.apply(px[i]);
    }
    return new GrayImage(image.width(), image.height(), px);
  }

  static GrayImage replaceTile(GrayImage image, TileGrid grid, int index, float[] tile) {
    float[] px = image.pixels();
    int x0 = index % grid.cols() * TileGrid.TILE_PX;
    int y0 = index / grid.cols() * TileGrid.TILE_PX;
    for (int y = 0; y < TileGrid.TILE_PX; y++) {
      System.arraycopy(
          tile, y * TileGrid.TILE_PX, px, (y0 + y) * image.width() + x0, TileGrid.TILE_PX);
    }
    return new GrayImage(image.width(), image.height(), px);
  }

  /**
   * A lesion-like disc pasted into a tile: radius 6-14 px, fully inside the tile, bright (0.95) or
   * dark (0.05) with a 2-px soft edge.
   */
  static float[] disc(float[] tile, int radius, Random random) {
    int side = TileGrid.TILE_PX;
    int cx = radius + 2 + random.nextInt(side - 2 * radius - 4);
    int cy = radius + 2 + random.nextInt(side - 2 * radius - 4);
    return contrastDisc(tile, cx, cy, radius);
  }

  /** A disc bright where the covered area is darker than 0.5 on average, else dark. */
  static float[] contrastDisc(float[] tile, int cx, int cy, int radius) {
    int side = TileGrid.TILE_PX;
    double mean = 0;
    int n = 0;
    for (int y = cy - radius; y <= cy + radius; y++) {
      for (int x = cx - radius; x <= cx + radius; x++) {
        if (Math.hypot(x - cx, y - cy) <= radius) {
          mean += tile[y * side + x];
          n++;
        }
      }
    }
    // Against its surroundings, as a lesion is: bright on dark tissue, dark on bright tissue.
    float value = mean / n < 0.5 ? 0.95f : 0.05f;
    return disc(tile, cx, cy, radius, value);
  }

  static float[] disc(float[] tile, int cx, int cy, int radius, float value) {
    int side = TileGrid.TILE_PX;
    float[] out = tile.clone();
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        double d = Math.hypot(x - cx, y - cy);
        double w = Math.max(0, Math.min(1, (radius + 1 - d) / 2));
        out[y * side + x] = (float) (w * value + (1 - w) * out[y * side + x]);
      }
    }
    return out;
  }
}
