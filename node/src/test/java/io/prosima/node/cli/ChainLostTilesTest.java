package io.prosima.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prosima.genesis.ChainLayout;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.io.PngImages;
import io.prosima.node.LedgerNode;
import io.prosima.node.NodeConfig;
import io.prosima.node.TestChains;
import io.prosima.node.image.ImageFingerprint;
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
 * The on-chain form: `image reconstruct IN OUT --id IMG --missing-tiles 5,6` takes z* from the
 * image's anchored leaves and runs only the inpainting G anchored on chain.
 */
class ChainLostTilesTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
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
  void lostTilesAreRebuiltFromTheOnChainLatentsOnlyOnceTheInpaintingModelIsAnchored()
      throws Exception {
    Path slice = slice();
    assumeTrue(slice != null, "shared MRI slices (../shared/data) not found");
    GenesisBuilder.Result chain = TestChains.create(dir, 1);
    String genesis = dir.resolve(ChainLayout.GENESIS_FILE).toString();
    String owner = ChainLayout.clientKey(dir, "hospital-0").toString();
    try (LedgerNode node =
        LedgerNode.start(
            NodeConfig.defaults(ChainLayout.nodeHome(dir, chain.validatorKeys().get(0))))) {
      Run ingest = run("image", "ingest", slice.toString(), "--genesis", genesis, "--key", owner);
      assertEquals(0, ingest.code(), ingest.err());
      Matcher id = Pattern.compile("as (img-[0-9a-f]{32})").matcher(ingest.out());
      assertTrue(id.find(), ingest.out());
      Path out = dir.resolve("out.png");
      String[] rebuild = {
        "image",
        "reconstruct",
        slice.toString(),
        out.toString(),
        "--id",
        id.group(1),
        "--genesis",
        genesis,
        "--key",
        owner,
        "--missing-tiles",
        "5,6"
      };

      Run notAnchored = run(rebuild);
      assertEquals(1, notAnchored.code(), notAnchored.out());
      assertTrue(
          notAnchored.err().contains("prosima-inpaint-generator@1 is not anchored on chain"),
          notAnchored.err());
      assertFalse(Files.exists(out));

      Run anchor = run("model", "anchor", "--version", "1", "--genesis", genesis, "--key", owner);
      assertEquals(0, anchor.code(), anchor.err());
      assertTrue(anchor.out().contains("anchored prosima-inpaint-generator@1"), anchor.out());

      Run rebuilt = run(rebuild);
      assertEquals(0, rebuilt.code(), rebuilt.err());
      assertTrue(rebuilt.out().contains("rebuilt lost tiles [5, 6]"), rebuilt.out());
      ImageFingerprint before = ImageFingerprint.of(PngImages.read(slice), null);
      GrayImage result = PngImages.read(out);
      ImageFingerprint after = ImageFingerprint.of(result, null);
      for (int t = 0; t < 16; t++) {
        assertEquals(
            t != 5 && t != 6,
            before.leaves().get(t).getContentHash().equals(after.leaves().get(t).getContentHash()),
            "tile " + t);
      }

      Run badTile =
          run(
              "image",
              "reconstruct",
              slice.toString(),
              dir.resolve("bad.png").toString(),
              "--id",
              id.group(1),
              "--genesis",
              genesis,
              "--key",
              owner,
              "--missing-tiles",
              "16");
      assertEquals(2, badTile.code());
      assertTrue(badTile.err().contains("tile 16 does not exist"), badTile.err());
      assertFalse(Files.exists(dir.resolve("bad.png")));
    }
  }
}
