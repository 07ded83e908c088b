package io.prosima.imaging.hashcode;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.io.ImageReaders;
import io.prosima.imaging.train.SliceDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * `prosima bench retrieval`: finds the anchored source of transformed copies by similarity code.
 *
 * <p>Anchored (indexed) images: distractors first — every training slice and its left-right flip,
 * the validation slices' three flips/turns, and the DICOM files of the data folder (other
 * modalities) — then the 60 validation slices (the targets). Inserting distractors first makes
 * every tie at equal distance go against the target. Queries: each validation slice under each
 * {@link CopyTransform}, seeded. The one relevant item of a query is its source slice, so AP@10 is
 * 1/rank when the source is in the top 10, else 0; recall@1 is the fraction whose source ranks
 * first. Larger indexes are filled up with uniformly random codes (synthetic: real images would be
 * harder distractors than random codes). Latency: one query's multi-index search, k = 10, median
 * and p99 over all queries after a warm-up, against a brute-force scan of the same index, whose
 * results must be identical.
 */
public final class RetrievalBenchmark {
  public static final int K = 10;

  /** Hamming shortlist re-ranked by the asymmetric distance (the query's bit margins). */
  public static final int SHORTLIST = 20;

  /** One indexed image. */
  record Entry(String name, byte[] code) {}

  /** Settings. */
  public record Config(Path mriDir, Path dicomDir, long seed, int[] sizes) {}

  private RetrievalBenchmark() {}

  public static void run(HashCoder coder, Config config, Consumer<String> out) throws IOException {
    SliceDataset data = SliceDataset.load(config.mriDir());
    List<Entry> entries = new ArrayList<>();
    long t0 = System.nanoTime();
    for (SliceDataset.Slice s : data.train()) {
      entries.add(new Entry(s.file(), coder.code(s.image())));
      entries.add(
          new Entry(s.file() + " flip-lr", coder.code(HashCodeTrainer.symmetry(s.image(), 1))));
    }
    for (SliceDataset.Slice s : data.validation()) {
      for (int sym = 1; sym < 4; sym++) {
        entries.add(
            new Entry(
                s.file() + " " + SYMMETRY[sym],
                coder.code(HashCodeTrainer.symmetry(s.image(), sym))));
      }
    }
    int dicoms = 0;
    if (config.dicomDir() != null && Files.isDirectory(config.dicomDir())) {
      try (var files = Files.list(config.dicomDir())) {
        for (Path f : files.sorted().toList()) {
          if (!f.toString().endsWith(".dcm")) {
            continue;
          }
          try {
            GrayImage g = ImageReaders.read(f).normalizedToUnit();
            entries.add(new Entry(f.getFileName().toString(), coder.code(g)));
            dicoms++;
          } catch (IOException e) {
            // A broken file in the data folder (MR_truncated.dcm) is not an image to anchor.
          }
        }
      }
    }
    int targetsFrom = entries.size();
    for (SliceDataset.Slice s : data.validation()) {
      entries.add(new Entry(s.file(), coder.code(s.image())));
    }
    int real = entries.size();
    double anchorMs = (System.nanoTime() - t0) / 1e6;
    out.accept(
        String.format(
            Locale.ROOT,
            "anchored %d real images: %d validation slices (targets), %d training slices + their"
                + " left-right flips, %d flipped/turned validation slices, %d DICOM (CT/MR);"
                + " codes computed in %.1f s",
            real,
            data.validation().size(),
            data.train().size(),
            3 * data.validation().size(),
            dicoms,
            anchorMs / 1000));

    // Queries: every validation slice under every transform.
    Random random = new Random(config.seed());
    List<CopyTransform> transforms = CopyTransform.all();
    byte[][] queries = new byte[data.validation().size() * transforms.size()][];
    double[][] margins = new double[queries.length][];
    int[] source = new int[queries.length];
    int[] transformOf = new int[queries.length];
    double[] encodeMs = new double[queries.length];
    int q = 0;
    for (int v = 0; v < data.validation().size(); v++) {
      for (int t = 0; t < transforms.size(); t++) {
        GrayImage copy = transforms.get(t).apply(data.validation().get(v).image(), random);
        long e0 = System.nanoTime();
        HashCoder.Query query = coder.query(copy);
        queries[q] = query.code();
        margins[q] = query.margins();
        encodeMs[q] = (System.nanoTime() - e0) / 1e6;
        source[q] = targetsFrom + v;
        transformOf[q] = t;
        q++;
      }
    }
    out.accept(
        String.format(
            Locale.ROOT,
            "queries: %d = %d validation slices x %d transforms, seed %d; code of a query image"
                + " (canonical view + E on 16 tiles + projection) median %.1f ms",
            queries.length,
            data.validation().size(),
            transforms.size(),
            config.seed(),
            median(encodeMs)));

    Random synthetic = new Random(config.seed() + 1);
    out.accept("");
    out.accept(
        String.format(
            Locale.ROOT,
            "%-9s %-9s %-9s %-9s %-9s %-12s %-12s %-12s %s",
            "indexed",
            "recall@1",
            "mAP@10",
            "rerank@1",
            "rerankAP",
            "MIH p50 ms",
            "MIH p99 ms",
            "scan p50 ms",
            "MIH = scan"));
    Map<Integer, double[][]> perTransform = new LinkedHashMap<>();
    for (int size : config.sizes()) {
      HammingIndex index = new HammingIndex();
      for (Entry e : entries) {
        index.add(e.code());
      }
      // Synthetic codes go after the real ones so that ties never favour the target... they
      // are uniformly random: at distance ~64 from everything, they rarely compete.
      while (index.size() < size) {
        byte[] c = new byte[16];
        synthetic.nextBytes(c);
        index.add(c);
      }
      // Warm-up (JIT), then timed.
      for (int i = 0; i < Math.min(200, queries.length); i++) {
        index.search(queries[i], K, x -> true);
        index.scanAll(queries[i], K);
      }
      double[] mihMs = new double[queries.length];
      double[] scanMs = new double[queries.length];
      boolean same = true;
      double recall = 0;
      double map = 0;
      double recallRe = 0;
      double mapRe = 0;
      double[][] byT = new double[transforms.size()][5];
      for (int i = 0; i < queries.length; i++) {
        long s0 = System.nanoTime();
        List<HammingIndex.Match> shortlist = index.search(queries[i], SHORTLIST, x -> true);
        List<HammingIndex.Match> found = shortlist.subList(0, Math.min(K, shortlist.size()));
        List<Integer> reranked = rerank(shortlist, margins[i], index);
        mihMs[i] = (System.nanoTime() - s0) / 1e6;
        s0 = System.nanoTime();
        List<HammingIndex.Match> scanned = index.scanAll(queries[i], SHORTLIST);
        scanMs[i] = (System.nanoTime() - s0) / 1e6;
        same &= shortlist.equals(scanned);
        int rank = 0;
        for (int r = 0; r < found.size(); r++) {
          if (found.get(r).item() == source[i]) {
            rank = r + 1;
            break;
          }
        }
        double hit = rank == 1 ? 1 : 0;
        double ap = rank > 0 ? 1.0 / rank : 0;
        int rankRe = reranked.indexOf(source[i]) + 1;
        if (rankRe > K) {
          rankRe = 0;
        }
        double hitRe = rankRe == 1 ? 1 : 0;
        double apRe = rankRe > 0 ? 1.0 / rankRe : 0;
        recall += hit;
        map += ap;
        recallRe += hitRe;
        mapRe += apRe;
        byT[transformOf[i]][0] += hit;
        byT[transformOf[i]][1] += ap;
        byT[transformOf[i]][3] += hitRe;
        byT[transformOf[i]][4] += apRe;
        byT[transformOf[i]][2] += HashCoder.distance(queries[i], entries.get(source[i]).code());
      }
      perTransform.put(size, byT);
      out.accept(
          String.format(
              Locale.ROOT,
              "%-9d %-9.4f %-9.4f %-9.4f %-9.4f %-12.4f %-12.4f %-12.4f %s",
              index.size(),
              recall / queries.length,
              map / queries.length,
              recallRe / queries.length,
              mapRe / queries.length,
              median(mihMs),
              percentile(mihMs, 0.99),
              median(scanMs),
              same ? "yes" : "NO"));
    }
    int largest = config.sizes()[config.sizes().length - 1];
    double[][] byT = perTransform.get(largest);
    int perT = data.validation().size();
    out.accept("");
    out.accept("per transform at " + largest + " indexed codes:");
    out.accept(
        String.format(
            Locale.ROOT,
            "%-40s %-9s %-9s %-9s %-9s %s",
            "transform",
            "recall@1",
            "mAP@10",
            "rerank@1",
            "rerankAP",
            "mean dist"));
    for (int t = 0; t < transforms.size(); t++) {
      out.accept(
          String.format(
              Locale.ROOT,
              "%-40s %-9.4f %-9.4f %-9.4f %-9.4f %.1f",
              transforms.get(t).label(),
              byT[t][0] / perT,
              byT[t][1] / perT,
              byT[t][3] / perT,
              byT[t][4] / perT,
              byT[t][2] / perT));
    }
    // How far apart distinct anchored images are (the margin the code keeps).
    int[] nearestOther = new int[data.validation().size()];
    for (int v = 0; v < nearestOther.length; v++) {
      int best = Integer.MAX_VALUE;
      for (int j = 0; j < real; j++) {
        if (j != targetsFrom + v) {
          best =
              Math.min(
                  best,
                  HashCoder.distance(entries.get(targetsFrom + v).code(), entries.get(j).code()));
        }
      }
      nearestOther[v] = best;
    }
    double[] no = Arrays.stream(nearestOther).asDoubleStream().toArray();
    out.accept(
        String.format(
            Locale.ROOT,
            "distance from a validation slice's code to the nearest other anchored real image:"
                + " min %.0f, median %.0f bits",
            Arrays.stream(no).min().orElse(0),
            median(no)));
  }

  /** The shortlist's items ordered by asymmetric distance (ties: Hamming order). */
  static List<Integer> rerank(
      List<HammingIndex.Match> shortlist, double[] margins, HammingIndex index) {
    List<Integer> items = new ArrayList<>();
    double[] d = new double[shortlist.size()];
    for (int i = 0; i < d.length; i++) {
      items.add(i);
      d[i] = HashCoder.asymmetricDistance(margins, index.code(shortlist.get(i).item()));
    }
    items.sort((a, b) -> Double.compare(d[a], d[b]));
    List<Integer> out = new ArrayList<>();
    for (int i : items) {
      out.add(shortlist.get(i).item());
    }
    return out;
  }

  static final String[] SYMMETRY = {"", "flip-lr", "flip-ud", "turn-180"};

  static double median(double[] v) {
    return percentile(v, 0.5);
  }

  static double percentile(double[] v, double p) {
    double[] s = v.clone();
    Arrays.sort(s);
    if (s.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, i))];
  }
}
