package io.prosima.testnet.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestnetDemoTest {
  @TempDir Path dir;

  @Test
  void theReadmeDemoRunsOnAFourValidatorTestnet() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    boolean ok =
        new TestnetDemo(
                dir.resolve("testnet"),
                5,
                false,
                new PrintStream(buffer, true, StandardCharsets.UTF_8))
            .run();
    String out = buffer.toString(StandardCharsets.UTF_8);
    assertTrue(ok, out);
    assertTrue(out.contains("all 5 committed"), out);
    assertTrue(out.contains("on all 4 validators: identical"), out);
    assertTrue(out.contains("REFUSAL_DUPLICATE"), out);
    assertTrue(out.contains("Merkle inclusion proof does not lead"), out);
  }
}
