package io.prosima.imaging.train;

import java.io.PrintStream;
import java.time.Duration;

/**
 * A text progress bar with loss and ETA. On a terminal it redraws one line; otherwise (a log file)
 * it prints a line every {@code logEvery} steps so logs stay readable.
 */
public final class ProgressBar {
  private static final int BAR_WIDTH = 30;

  private final PrintStream out;
  private final String label;
  private final int total;
  private final boolean terminal;
  private final int logEvery;
  private final long startNanos = System.nanoTime();

  public ProgressBar(PrintStream out, String label, int total, int logEvery) {
    this.out = out;
    this.label = label;
    this.total = Math.max(1, total);
    this.terminal = System.console() != null;
    this.logEvery = Math.max(1, logEvery);
  }

  public void update(int done, String metrics) {
    if (!terminal && done % logEvery != 0 && done != total) {
      return;
    }
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    double eta = done == 0 ? 0 : elapsed / done * (total - done);
    int filled = (int) ((long) BAR_WIDTH * done / total);
    String bar = "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled);
    String line =
        String.format(
            "%s [%s] %d/%d %s elapsed %s ETA %s",
            label, bar, done, total, metrics, format(elapsed), format(eta));
    if (terminal) {
      out.print("\r" + line);
      if (done == total) {
        out.println();
      }
    } else {
      out.println(line);
    }
    out.flush();
  }

  static String format(double seconds) {
    Duration d = Duration.ofSeconds((long) seconds);
    return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
  }
}
