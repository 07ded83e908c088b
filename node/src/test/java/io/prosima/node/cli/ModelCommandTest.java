package io.prosima.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ModelCommandTest {
  @Test
  void modelTrainAndEvalAndBenchReconstructAreRegistered() {
    CommandLine cli = ProsimaCli.newCommandLine();
    assertTrue(cli.getSubcommands().get("model").getSubcommands().containsKey("train"));
    assertTrue(cli.getSubcommands().get("model").getSubcommands().containsKey("eval"));
    assertTrue(cli.getSubcommands().get("bench").getSubcommands().containsKey("reconstruct"));
  }

  @Test
  void anInvalidTrainingVariantIsOneLineErrorWithExitCode2() {
    CommandLine cli = ProsimaCli.newCommandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    int code =
        cli.execute("model", "train", "--data", "nowhere", "--out", "x", "--variant", "bogus");
    assertEquals(2, code);
    assertTrue(err.toString().startsWith("error: variant must be"), err.toString());
  }

  @Test
  void reconstructingAMissingFileFailsWithOneLine() {
    CommandLine cli = new CommandLine(new ImageReconstructCommand());
    CommandLine root = ProsimaCli.newCommandLine();
    cli.setExecutionExceptionHandler(root.getExecutionExceptionHandler());
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("/nonexistent/in.png", "out.png", "--models", "/nonexistent/models");
    assertEquals(1, code);
    assertTrue(err.toString().startsWith("error: "), err.toString());
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
  }
}
