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
  void theReadmeDemoRunsTheImageProductOnAFourValidatorTestnet() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    boolean ok =
        new ImageDemo(
                dir.resolve("testnet"),
                false,
                new PrintStream(buffer, true, StandardCharsets.UTF_8))
            .run();
    String out = buffer.toString(StandardCharsets.UTF_8);
    assertTrue(ok, out);
    assertTrue(out.contains("identical to the source file pixel for pixel: true"), out);
    assertTrue(out.contains("FragmentService.Get -> PERMISSION_DENIED"), out);
    assertTrue(out.contains("does not open (GCM tag fails)"), out);
    assertTrue(out.contains("tampered tiles [" + ImageDemo.TAMPERED_TILE), out);
    assertTrue(out.contains("identical on all 4 validators: true"), out);
    assertTrue(out.contains("reconstruction"), out);
  }
}
