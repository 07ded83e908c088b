package io.prosima.imaging.tamper;

import io.prosima.imaging.verify.ImageVerifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The tamper benchmark's table: per class, placement and size; then false alarms; then verdict. */
public final class TamperReport {
  private TamperReport() {}

  /** The three detectors compared on the same cases, as functions from a case to flagged tiles. */
  private static List<Function<ScoredCase, List<Integer>>> detectors(TamperBenchmark.Result r) {
    return List.of(
        ScoredCase::shippedFlags,
        c -> c.flaggedByDeviation(r.deviationThreshold()),
        c -> c.flaggedByHamming(r.hammingThreshold()),
        c -> c.flaggedByAnatomyHamming(r.anatomyHammingThreshold()));
  }

  static final String[] DETECTORS = {
    "shipped verifier", "verifier, train thr", "pHash baseline", "pHash, anatomy"
  };

  public static String format(TamperBenchmark.Result r) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "tamper benchmark: %d validation slices (report), %d training slices (thresholds),"
                + " seed %d, %d case(s) per class, placement and slice%n",
            r.validationSlices(),
            r.trainSlices(),
            r.seed(),
            r.perClass()));
    b.append(
        String.format(
            Locale.ROOT,
            "thresholds for <= %.1f%% false alarms on %d benign training images:%n"
                + "  shipped verifier: block deviation > %.4f (compiled; flags %d of them)%n"
                + "  verifier, train thr: block deviation > %.4f (flags %d)%n"
                + "  pHash baseline: Hamming distance > %.0f of 63 bits (flags %d)%n"
                + "  pHash, anatomy (tiles that were background ignored): Hamming > %.0f (flags %d)%n%n",
            100 * TamperBenchmark.FALSE_ALARM_RATE_MAX,
            r.trainBenignImages(),
            ImageVerifier.DEVIATION_MAX,
            r.trainShippedFalseAlarms(),
            r.deviationThreshold(),
            r.trainDeviationFalseAlarms(),
            r.hammingThreshold(),
            r.trainHammingFalseAlarms(),
            r.anatomyHammingThreshold(),
            r.trainAnatomyHammingFalseAlarms()));
    b.append("block deviation of benign training images (median / p99 / max), per class:\n");
    for (var e : r.trainDeviationQuantiles().entrySet()) {
      double[] q = e.getValue();
      b.append(
          String.format(Locale.ROOT, "  %-22s %8.4f %8.4f %8.4f%n", e.getKey(), q[0], q[1], q[2]));
    }
    b.append('\n');
    var det = detectors(r);
    String head =
        String.format(
            Locale.ROOT,
            "%-22s %-6s %5s | %-15s | %-19s | %-15s | %-15s%n",
            "malicious (validation)",
            "where",
            "n",
            DETECTORS[0],
            DETECTORS[1],
            DETECTORS[2],
            DETECTORS[3]);
    b.append(head);
    b.append(
        String.format(
            Locale.ROOT,
            "%-22s %-6s %5s | %7s %7s | %9s %9s | %7s %7s | %7s %7s%n",
            "",
            "",
            "",
            "det%",
            "loc%",
            "det%",
            "loc%",
            "det%",
            "loc%",
            "det%",
            "loc%"));
    Map<String, List<ScoredCase>> malicious = new LinkedHashMap<>();
    Map<String, List<ScoredCase>> benign = new LinkedHashMap<>();
    List<ScoredCase> allMalicious = new ArrayList<>();
    List<ScoredCase> allBenign = new ArrayList<>();
    for (ScoredCase c : r.validation()) {
      if (c.benign()) {
        benign.computeIfAbsent(c.group(), k -> new ArrayList<>()).add(c);
        allBenign.add(c);
      } else {
        malicious.computeIfAbsent(c.group() + "\t" + c.placement(), k -> new ArrayList<>()).add(c);
        allMalicious.add(c);
      }
    }
    List<String> keys = new ArrayList<>(malicious.keySet());
    keys.sort(null);
    for (String key : keys) {
      String[] k = key.split("\t");
      maliciousRow(b, k[0], k[1], malicious.get(key), det);
    }
    maliciousRow(b, "all malicious", "", allMalicious, det);
    b.append(
        String.format(
            Locale.ROOT,
            "(det = some tile flagged; loc = every edited tile (content hash changed) flagged;"
                + " %d drawn edits changed no pixel and are left out)%n%n",
            r.noOpCases()));
    b.append(
        String.format(
            Locale.ROOT,
            "%-22s %-6s %5s | %-15s | %-19s | %-15s | %-15s%n",
            "benign (validation)",
            "",
            "n",
            "false alarm%",
            "false alarm%",
            "false alarm%",
            "false alarm%"));
    for (var e : benign.entrySet()) {
      benignRow(b, e.getKey(), e.getValue(), det);
    }
    benignRow(b, "all benign", allBenign, det);
    b.append("(false alarm = any tile flagged TAMPERED on a benign copy)\n\n");
    b.append(
        String.format(
            Locale.ROOT,
            "target: >= %.1f%% of malicious edits detected and localised at <= %.1f%% false"
                + " alarms%n",
            100 * TamperBenchmark.TARGET_RATE,
            100 * TamperBenchmark.FALSE_ALARM_RATE_MAX));
    for (int d = 0; d < det.size(); d++) {
      double loc = rate(allMalicious, det.get(d), true);
      double fa = rate(allBenign, det.get(d), false);
      boolean met =
          loc >= TamperBenchmark.TARGET_RATE && fa <= TamperBenchmark.FALSE_ALARM_RATE_MAX;
      b.append(
          String.format(
              Locale.ROOT,
              "  %-20s localised %6.2f%%, false alarms %5.2f%%: %s%n",
              DETECTORS[d],
              100 * loc,
              100 * fa,
              met ? "met" : "NOT MET"));
    }
    return b.toString();
  }

  private static void maliciousRow(
      StringBuilder b,
      String group,
      String where,
      List<ScoredCase> cases,
      List<Function<ScoredCase, List<Integer>>> det) {
    b.append(
        String.format(
            Locale.ROOT,
            "%-22s %-6s %5d | %7.1f %7.1f | %9.1f %9.1f | %7.1f %7.1f | %7.1f %7.1f%n",
            group,
            where,
            cases.size(),
            100 * rate(cases, det.get(0), false),
            100 * rate(cases, det.get(0), true),
            100 * rate(cases, det.get(1), false),
            100 * rate(cases, det.get(1), true),
            100 * rate(cases, det.get(2), false),
            100 * rate(cases, det.get(2), true),
            100 * rate(cases, det.get(3), false),
            100 * rate(cases, det.get(3), true)));
  }

  private static void benignRow(
      StringBuilder b,
      String group,
      List<ScoredCase> cases,
      List<Function<ScoredCase, List<Integer>>> det) {
    b.append(
        String.format(
            Locale.ROOT,
            "%-22s %-6s %5d | %15.2f | %19.2f | %15.2f | %15.2f%n",
            group,
            "",
            cases.size(),
            100 * rate(cases, det.get(0), false),
            100 * rate(cases, det.get(1), false),
            100 * rate(cases, det.get(2), false),
            100 * rate(cases, det.get(3), false)));
  }

  /** Fraction of cases flagged at all ({@code localised} false) or with every edited tile. */
  static double rate(
      List<ScoredCase> cases, Function<ScoredCase, List<Integer>> detector, boolean localised) {
    if (cases.isEmpty()) {
      return Double.NaN;
    }
    int hit = 0;
    for (ScoredCase c : cases) {
      List<Integer> flagged = detector.apply(c);
      hit +=
          (localised ? ScoredCase.localised(c.editedTiles(), flagged) : !flagged.isEmpty()) ? 1 : 0;
    }
    return hit / (double) cases.size();
  }
}
