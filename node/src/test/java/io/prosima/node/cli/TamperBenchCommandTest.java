package io.prosima.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * `prosima bench tamper` end to end on a tiny copy of the slice folder: two training slices (for
 * the thresholds) and two validation slices (for the report), one case per class and placement.
 */
class TamperBenchCommandTest {
  /** Indices 80 and 90 are training slices, 130 and 140 validation (data/README.md). */
  private static final int[] SLICES = {80, 90, 130, 140};

  @TempDir Path dir;

  private static Path sliceDir() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve("../shared/data/mri/human-t1-axial").normalize();
      if (Files.isRegularFile(p.resolve("manifest.csv"))) {
        return p;
      }
    }
    return null;
  }

  @Test
  void theBenchRunsOnTwoValidationSlicesAndPrintsEveryRow() throws Exception {
    Path source = sliceDir();
    assumeTrue(source != null, "shared MRI slices (../shared/data) not found");
    StringBuilder manifest = new StringBuilder("file,index\n");
    for (int index : SLICES) {
      String name = String.format("ch2better_ax_%03d.png", index);
      Files.copy(source.resolve(name), dir.resolve(name));
      manifest.append(name).append(',').append(index).append('\n');
    }
    Files.writeString(dir.resolve("manifest.csv"), manifest);

    CommandLine cli = ProsimaCli.newCommandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    PrintStream saved = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = cli.execute("bench", "tamper", "--data", dir.toString(), "--cases", "1");
    } finally {
      System.setOut(saved);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, err.toString());
    assertTrue(out.contains("2 validation slices (report), 2 training slices"), out);
    assertTrue(out.contains("on 14 benign training images"), out);
    for (String benign :
        new String[] {
          "gaussian s0.01",
          "gaussian s0.03",
          "gaussian s0.05",
          "rician s0.02",
          "requant 16->8 bit",
          "jpeg q90",
          "G(gaussian s0.05)"
        }) {
      assertTrue(out.contains(benign + " "), benign + " row missing: " + out);
    }
    // Each of 5 classes x 2 placements x 1 case x 2 slices: 20 malicious cases, unless an edit
    // happened to change no pixel (reported as left out).
    Matcher all = Pattern.compile("all malicious\\s+(\\d+) \\|").matcher(out);
    Matcher left = Pattern.compile("(\\d+) drawn edits changed no pixel").matcher(out);
    assertTrue(all.find() && left.find(), out);
    assertEquals(20, Integer.parseInt(all.group(1)) + Integer.parseInt(left.group(1)), out);
    assertTrue(out.contains("all benign                       14 |"), out);
    assertTrue(out.contains("target: >= 99.5% of malicious edits detected and localised"), out);
  }

  @Test
  void anEmptyCaseCountIsRefused() {
    CommandLine cli = ProsimaCli.newCommandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("bench", "tamper", "--data", dir.toString(), "--cases", "0");
    assertEquals(2, code);
    assertTrue(err.toString().startsWith("error: --cases must be at least 1"), err.toString());
  }
}
