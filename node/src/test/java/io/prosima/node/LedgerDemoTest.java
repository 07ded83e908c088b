package io.prosima.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.node.demo.LedgerDemo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerDemoTest {
  @TempDir Path dir;

  @Test
  void theReadmeDemoCommitsVerifiesAndRefusesWhatItShould() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    boolean ok =
        new LedgerDemo(dir, 5, new PrintStream(buffer, true, StandardCharsets.UTF_8)).run();
    String out = buffer.toString(StandardCharsets.UTF_8);
    assertTrue(ok, out);
    assertTrue(out.contains("all 5 committed"), out);
    assertTrue(out.contains("REFUSAL_DUPLICATE"), out);
    assertTrue(out.contains("Merkle inclusion proof does not lead"), out);
  }
}
