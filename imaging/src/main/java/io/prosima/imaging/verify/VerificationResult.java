package io.prosima.imaging.verify;

import java.util.List;
import java.util.Locale;

/**
 * The verifier's answer: the verdict, one {@link TileCheck} per anchored tile in index order, and
 * the tampered tile indices ascending (what a {@code VerificationRecord} carries).
 *
 * @param verdict the verdict on the whole image
 * @param tiles one entry per anchored tile, index order
 * @param tamperedTiles indices of tampered tiles, ascending; empty unless TAMPERED
 * @param note empty, or why every tile is tampered (the image does not fit the fingerprint)
 */
public record VerificationResult(
    Verdict verdict, List<TileCheck> tiles, List<Integer> tamperedTiles, String note) {
  public VerificationResult {
    tiles = List.copyOf(tiles);
    tamperedTiles = List.copyOf(tamperedTiles);
    if ((verdict == Verdict.TAMPERED) == tamperedTiles.isEmpty()) {
      throw new IllegalArgumentException("a TAMPERED verdict, and only it, names tampered tiles");
    }
  }

  /** One JSON object (no external library; numbers in fixed notation, NaN as null). */
  public String toJson() {
    StringBuilder b = new StringBuilder();
    b.append("{\"verdict\":\"").append(verdict).append("\",\"tampered_tiles\":[");
    for (int i = 0; i < tamperedTiles.size(); i++) {
      b.append(i == 0 ? "" : ",").append(tamperedTiles.get(i));
    }
    b.append("],\"note\":\"").append(escape(note)).append("\",\"tiles\":[");
    for (int i = 0; i < tiles.size(); i++) {
      TileCheck t = tiles.get(i);
      b.append(i == 0 ? "" : ",")
          .append("{\"index\":")
          .append(t.index())
          .append(",\"exact_match\":")
          .append(t.exactMatch())
          .append(",\"deviation\":")
          .append(
              Double.isNaN(t.deviation())
                  ? "null"
                  : String.format(Locale.ROOT, "%.4f", t.deviation()))
          .append(",\"low_information\":")
          .append(t.lowInformation())
          .append(",\"tampered\":")
          .append(t.tampered())
          .append('}');
    }
    return b.append("]}").toString();
  }

  /** A plain table for a terminal: one line per tile, then the verdict. */
  public String toTable() {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%5s  %-5s  %9s  %-8s  %s%n",
            "tile",
            "exact",
            "deviation",
            "low-info",
            "result"));
    for (TileCheck t : tiles) {
      b.append(
          String.format(
              Locale.ROOT,
              "%5d  %-5s  %9s  %-8s  %s%n",
              t.index(),
              t.exactMatch() ? "yes" : "no",
              Double.isNaN(t.deviation()) ? "-" : String.format(Locale.ROOT, "%.4f", t.deviation()),
              t.lowInformation() ? "yes" : "",
              t.tampered() ? "TAMPERED" : "ok"));
    }
    b.append("verdict: ").append(verdict);
    if (!tamperedTiles.isEmpty()) {
      b.append(" (tiles ").append(tamperedTiles).append(')');
    }
    if (!note.isEmpty()) {
      b.append(" - ").append(note);
    }
    return b.append(System.lineSeparator()).toString();
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
