package io.prosima.imaging.federated;

import io.prosima.imaging.crypto.X25519KeyPair;
import io.prosima.imaging.model.ModelExport;
import io.prosima.imaging.model.SavedModelWeights;
import io.prosima.imaging.train.SliceDataset;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 15's experiment, in one process (the protocol's pure parts, no chain): H hospitals hold
 * disjoint contiguous blocks of the training slices (split by slice position, so each sees other
 * anatomy), the validation slices are held out. Three arms at the same total number of G steps, all
 * from the same fresh G and the shipped E (frozen):
 *
 * <ul>
 *   <li>federated: R rounds; each hospital fine-tunes the global G for K steps, the updates pass
 *       {@link UpdateCheck} and are averaged by {@link FedAvg} weighted by sample counts;
 *   <li>local only: each hospital trains alone for R*K steps on its own block;
 *   <li>centralised: H*R*K steps on the union of the blocks.
 * </ul>
 *
 * Reports mean PSNR at sigma 0.05 over the held-out validation slices and the bytes a round moves
 * (sealed updates up, sealed global down).
 */
public final class FederatedExperiment {
  /** Settings of the experiment. */
  public record Config(
      Path dataDir,
      Path encoderDir,
      int hospitals,
      int rounds,
      int steps,
      int batch,
      int cropPx,
      double learningRate,
      long seed,
      double sigma,
      double deltaNormMax,
      boolean federatedOnly) {}

  private final Config c;
  private final PrintStream out;

  public FederatedExperiment(Config config, PrintStream out) {
    this.c = config;
    this.out = out;
  }

  /** The training slices split by slice position into {@code n} contiguous blocks. */
  public static List<List<SliceDataset.Slice>> splitByPosition(
      List<SliceDataset.Slice> train, int n) {
    List<SliceDataset.Slice> sorted = new ArrayList<>(train);
    sorted.sort(Comparator.comparingInt(SliceDataset.Slice::index));
    List<List<SliceDataset.Slice>> parts = new ArrayList<>();
    for (int h = 0; h < n; h++) {
      parts.add(List.copyOf(sorted.subList(h * sorted.size() / n, (h + 1) * sorted.size() / n)));
    }
    return parts;
  }

  public void run() throws IOException {
    long start = System.nanoTime();
    SliceDataset data = SliceDataset.load(c.dataDir());
    List<SliceDataset.Slice> validation = data.validation();
    List<List<SliceDataset.Slice>> parts = splitByPosition(data.train(), c.hospitals());
    Map<String, float[]> encoder =
        SavedModelWeights.read(c.encoderDir().resolve(ModelExport.ENCODER_DIR), "e/");
    Map<String, float[]> g0 = SavedModelWeights.fresh(c.seed(), LocalTraining.PREFIX);
    Map<String, long[]> shapes = LocalTraining.generatorShapes();
    int perHospital = c.rounds() * c.steps();
    int total = c.hospitals() * perHospital;
    out.printf(
        Locale.ROOT,
        "hospitals %d, rounds %d, K %d steps, batch %d, crop %d: %d G steps per arm; "
            + "%d validation slices held out%n",
        c.hospitals(),
        c.rounds(),
        c.steps(),
        c.batch(),
        c.cropPx(),
        total,
        validation.size());
    for (int h = 0; h < parts.size(); h++) {
      List<SliceDataset.Slice> p = parts.get(h);
      out.printf(
          "hospital-%d: %d slices, indices %d-%d%n",
          h, p.size(), p.get(0).index(), p.get(p.size() - 1).index());
    }
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());

    // Federated.
    Map<String, float[]> global = g0;
    long upBytes = 0;
    long downBytes = 0;
    SecureRandom random = new SecureRandom();
    List<SealedBlob.Recipient> everyone = new ArrayList<>();
    for (int h = 0; h < c.hospitals(); h++) {
      byte[] id = new byte[32];
      id[0] = (byte) h;
      everyone.add(new SealedBlob.Recipient(id, X25519KeyPair.generate(random).publicKey()));
    }
    for (int r = 0; r < c.rounds(); r++) {
      downBytes =
          (long) c.hospitals()
              * SealedBlob.seal(
                      WeightsBlob.encode(global, shapes), "exp", "g" + r, everyone, random)
                  .length;
      List<UpdateCheck.Accepted> accepted = new ArrayList<>();
      upBytes = 0;
      for (int h = 0; h < c.hospitals(); h++) {
        LocalTraining.Result u =
            LocalTraining.fineTune(
                encoder,
                global,
                SliceDataset.of(parts.get(h), validation),
                settings(h, r, perHospital),
                r * c.steps(),
                quiet);
        byte[] blob = WeightsBlob.encode(u.generator(), shapes);
        upBytes +=
            SealedBlob.seal(
                    blob,
                    "exp",
                    "u" + r + "." + h,
                    List.of(everyone.get((r) % c.hospitals())),
                    random)
                .length;
        UpdateCheck.Verdict v =
            UpdateCheck.check(
                new UpdateCheck.Candidate(
                    "hospital-" + h, WeightsBlob.sha256(blob), u.samples(), blob),
                global,
                shapes,
                c.deltaNormMax());
        if (v instanceof UpdateCheck.Accepted a) {
          accepted.add(a);
        } else {
          out.printf(
              "round %d: hospital-%d excluded: %s%n", r, h, ((UpdateCheck.Excluded) v).reason());
        }
      }
      global = FedAvg.average(accepted);
      out.printf(
          Locale.ROOT,
          "round %d: %d updates averaged (%.0f s so far)%n",
          r,
          accepted.size(),
          (System.nanoTime() - start) / 1e9);
    }
    double fed = DenoiseEvaluation.psnr(encoder, global, validation, c.sigma()).outputDb();
    var noisy = DenoiseEvaluation.psnr(encoder, g0, validation, c.sigma());
    if (c.federatedOnly()) {
      out.printf(
          Locale.ROOT,
          "%nPSNR at sigma %.2f, mean over %d held-out validation slices: noisy %.2f, fresh G"
              + " %.2f, federated (%d rounds x %d) %.2f dB at %d G steps%n",
          c.sigma(),
          validation.size(),
          noisy.noisyDb(),
          noisy.outputDb(),
          c.rounds(),
          c.steps(),
          fed,
          total);
      out.printf(
          Locale.ROOT,
          "bytes per round: %d up, %d down; wall clock %.0f s%n",
          upBytes,
          downBytes,
          (System.nanoTime() - start) / 1e9);
      return;
    }

    // Local only.
    double[] local = new double[c.hospitals()];
    for (int h = 0; h < c.hospitals(); h++) {
      LocalTraining.Result u =
          LocalTraining.fineTune(
              encoder,
              g0,
              SliceDataset.of(parts.get(h), validation),
              new LocalTraining.Settings(
                  perHospital,
                  c.batch(),
                  c.cropPx(),
                  c.learningRate(),
                  c.seed() + 1000 + h,
                  perHospital),
              0,
              quiet);
      local[h] = DenoiseEvaluation.psnr(encoder, u.generator(), validation, c.sigma()).outputDb();
      out.printf(
          Locale.ROOT,
          "local hospital-%d done (%.0f s so far)%n",
          h,
          (System.nanoTime() - start) / 1e9);
    }

    // Centralised.
    List<SliceDataset.Slice> union = new ArrayList<>();
    parts.forEach(union::addAll);
    LocalTraining.Result central =
        LocalTraining.fineTune(
            encoder,
            g0,
            SliceDataset.of(union, validation),
            new LocalTraining.Settings(
                total, c.batch(), c.cropPx(), c.learningRate(), c.seed() + 2000, total),
            0,
            quiet);
    double centralDb =
        DenoiseEvaluation.psnr(encoder, central.generator(), validation, c.sigma()).outputDb();

    double localMean = 0;
    for (double d : local) {
      localMean += d;
    }
    localMean /= local.length;
    out.printf(
        Locale.ROOT,
        "%nPSNR at sigma %.2f, mean over %d held-out validation slices (256x256)%n",
        c.sigma(),
        validation.size());
    out.printf(Locale.ROOT, "%-34s %8s %10s%n", "arm", "PSNR dB", "G steps");
    out.printf(Locale.ROOT, "%-34s %8.2f %10s%n", "noisy input", noisy.noisyDb(), "-");
    out.printf(Locale.ROOT, "%-34s %8.2f %10d%n", "fresh G (round 0 start)", noisy.outputDb(), 0);
    for (int h = 0; h < local.length; h++) {
      out.printf(
          Locale.ROOT, "%-34s %8.2f %10d%n", "local only, hospital-" + h, local[h], perHospital);
    }
    out.printf(
        Locale.ROOT,
        "%-34s %8.2f %10s%n",
        "local only, mean of " + local.length,
        localMean,
        perHospital + " each");
    out.printf(
        Locale.ROOT,
        "%-34s %8.2f %10d%n",
        "federated (" + c.rounds() + " rounds x " + c.steps() + ")",
        fed,
        total);
    out.printf(Locale.ROOT, "%-34s %8.2f %10d%n", "centralised (union)", centralDb, total);
    out.printf(
        Locale.ROOT,
        "federated - centralised: %+.2f dB; federated - mean local: %+.2f dB%n",
        fed - centralDb,
        fed - localMean);
    out.printf(
        Locale.ROOT,
        "bytes per round: %d up (%d sealed updates), %d down (sealed global to %d), %d total%n",
        upBytes,
        c.hospitals(),
        downBytes,
        c.hospitals(),
        upBytes + downBytes);
    out.printf(Locale.ROOT, "wall clock %.0f s%n", (System.nanoTime() - start) / 1e9);
  }

  private LocalTraining.Settings settings(int hospital, int round, int perHospital) {
    return new LocalTraining.Settings(
        c.steps(),
        c.batch(),
        c.cropPx(),
        c.learningRate(),
        c.seed() + 31L * round + hospital,
        perHospital);
  }
}
