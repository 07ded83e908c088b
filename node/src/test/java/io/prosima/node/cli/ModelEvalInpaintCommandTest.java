package io.prosima.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `model eval-inpaint` as a user runs it, on the first validation slice only. */
class ModelEvalInpaintCommandTest {
  private static Path slices() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve("../shared/data/mri/human-t1-axial").normalize();
      if (Files.isRegularFile(p.resolve("manifest.csv"))) {
        return p;
      }
    }
    return null;
  }

  @Test
  void theTablePrintsEveryMethodForSingleAndPairedLostTilesOfOneValidationSliceAndTheProbe() {
    Path data = slices();
    assumeTrue(data != null, "shared MRI slices (../shared/data) not found");
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int code;
    try {
      code =
          ProsimaCli.newCommandLine()
              .execute(
                  "model",
                  "eval-inpaint",
                  "--data",
                  data.toString(),
                  "--slices",
                  "1",
                  "--latent-probe");
    } finally {
      System.setOut(saved);
    }
    String table = out.toString(StandardCharsets.UTF_8);

    assertEquals(0, code, table);
    assertTrue(table.startsWith("Validation: 1 slices (indices 120-149, 230-259)"), table);
    for (String lost : new String[] {"1 tile", "2 adjacent tiles"}) {
      for (String method :
          new String[] {"harmonic fill (Laplace)", "inpaint G, z = 0", "inpaint G, z* anchored"}) {
        Matcher row =
            Pattern.compile(
                    Pattern.quote(lost)
                        + " +"
                        + Pattern.quote(method)
                        + " +([0-9]+) +([0-9.]+) +(-?[0-9.]+)")
                .matcher(table);
        assertTrue(row.find(), lost + " / " + method + "\n" + table);
        assertTrue(Integer.parseInt(row.group(1)) > 0, table);
        assertTrue(Double.parseDouble(row.group(2)) > 5, table);
      }
    }
    assertTrue(table.contains("1 tile: z* over z = 0 "), table);
    assertTrue(table.contains("(target +3.00 dB)"), table);
    Matcher probe = Pattern.compile("ridge z\\* -> 8x8 block means +([0-9.]+) dB").matcher(table);
    assertTrue(probe.find(), table);
    assertTrue(Double.parseDouble(probe.group(1)) > 5, table);
    assertTrue(table.contains("reference: true 8x8 block means"), table);

    CommandLine cli = ProsimaCli.newCommandLine();
    cli.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
    assertEquals(
        2, cli.execute("model", "eval-inpaint", "--data", data.toString(), "--slices", "-1"));
  }
}
