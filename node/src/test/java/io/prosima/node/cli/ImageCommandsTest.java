package io.prosima.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prosima.genesis.ChainLayout;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.imaging.io.PngImages;
import io.prosima.node.LedgerNode;
import io.prosima.node.NodeConfig;
import io.prosima.node.TestChains;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The image commands as a user runs them, against a one-validator chain in this JVM: ingest with a
 * grant, retrieve by the grantee, verify and record as auditor, the provenance timeline, and
 * one-line refusals.
 */
class ImageCommandsTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private Run run(String... args) {
    CommandLine cli = ProsimaCli.newCommandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code = cli.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(saved);
    }
  }

  private static Path slice() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve("../shared/data/mri/human-t1-axial/ch2better_ax_140.png").normalize();
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  @Test
  void ingestRetrieveVerifyAndProvenanceWorkFromTheCommandLine() throws Exception {
    Path slice = slice();
    assumeTrue(slice != null, "shared MRI slices (../shared/data) not found");
    GenesisBuilder.Result chain = TestChains.create(dir, 2);
    String genesis = dir.resolve(ChainLayout.GENESIS_FILE).toString();
    String owner = ChainLayout.clientKey(dir, "hospital-0").toString();
    String grantee = ChainLayout.clientKey(dir, "hospital-1").toString();
    String auditor = ChainLayout.clientKey(dir, "auditor-0").toString();
    try (LedgerNode node =
        LedgerNode.start(
            NodeConfig.defaults(ChainLayout.nodeHome(dir, chain.validatorKeys().get(0))))) {
      Run ingest =
          run(
              "image",
              "ingest",
              slice.toString(),
              "--genesis",
              genesis,
              "--key",
              owner,
              "--grant",
              grantee);
      assertEquals(0, ingest.code(), ingest.err());
      Matcher id = Pattern.compile("as (img-[0-9a-f]{32})").matcher(ingest.out());
      assertTrue(id.find(), ingest.out());
      assertTrue(ingest.out().contains("code 1-of-1"), ingest.out());

      Path out = dir.resolve("out.png");
      Run retrieve =
          run(
              "image",
              "retrieve",
              id.group(1),
              out.toString(),
              "--genesis",
              genesis,
              "--key",
              grantee);
      assertEquals(0, retrieve.code(), retrieve.err());
      assertEquals(PngImages.read(slice), PngImages.read(out));
      assertTrue(retrieve.out().contains("access logged on chain"), retrieve.out());

      Run refused =
          run(
              "image",
              "retrieve",
              id.group(1),
              dir.resolve("x.png").toString(),
              "--genesis",
              genesis,
              "--key",
              auditor);
      assertEquals(1, refused.code());
      assertEquals(1, refused.err().strip().lines().count(), refused.err());
      assertTrue(refused.err().contains("no live grant"), refused.err());

      Run verify =
          run(
              "image",
              "verify",
              slice.toString(),
              "--id",
              id.group(1),
              "--genesis",
              genesis,
              "--key",
              auditor,
              "--json",
              "--record");
      assertEquals(0, verify.code(), verify.err());
      assertTrue(verify.out().contains("\"verdict\":\"AUTHENTIC\""), verify.out());

      Run provenance =
          run("query", "provenance", id.group(1), "--genesis", genesis, "--key", auditor, "--json");
      assertEquals(0, provenance.code(), provenance.err());
      List<String> events = new ArrayList<>();
      Matcher e = Pattern.compile("\"event\": \"([a-z]+)\"").matcher(provenance.out());
      while (e.find()) {
        events.add(e.group(1));
      }
      assertEquals(List.of("anchor", "grant", "grant", "access", "verification"), events);

      Run badCode =
          run(
              "image",
              "ingest",
              slice.toString(),
              "--genesis",
              genesis,
              "--key",
              owner,
              "--code",
              "2/1");
      assertEquals(2, badCode.code());
      assertTrue(badCode.err().startsWith("error: --code 2/1"), badCode.err());
    }
  }
}
