package io.prosima.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.io.PngImages;
import io.prosima.proto.v1.ImageAnchor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * `image fingerprint` and `image verify --fingerprint` as a user runs them, offline, on a real MRI
 * slice: the same file is AUTHENTIC, a pasted blob is TAMPERED in its tile, and a fingerprint file
 * that is malformed or edited is refused before anything in it is used.
 */
class ImageFingerprintCommandTest {
  /** A validation slice; its centre tiles (5, 6, 9, 10) are brain tissue. */
  private static final String SLICE = "ch2better_ax_140.png";

  @TempDir Path dir;
  private Path slice;
  private Path fp;

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

  private static Path findSlice() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve("../shared/data/mri/human-t1-axial/" + SLICE).normalize();
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  @BeforeEach
  void fingerprintTheSlice() {
    slice = findSlice();
    assumeTrue(slice != null, "shared MRI slices (../shared/data) not found");
    fp = dir.resolve("fp.json");
    Run made = run("image", "fingerprint", slice.toString(), "--out", fp.toString());
    assertEquals(0, made.code(), made.err());
    assertTrue(Files.isRegularFile(fp));
  }

  @Test
  void theFingerprintedFileVerifiesAsAuthentic() throws Exception {
    ImageAnchor anchor = readAnchor(fp);
    assertEquals(16, anchor.getLeavesCount());
    assertEquals(64, anchor.getLeaves(0).getLatent().size());

    Run verify = run("image", "verify", slice.toString(), "--fingerprint", fp.toString(), "--json");
    assertEquals(0, verify.code(), verify.err());
    assertTrue(verify.out().contains("\"verdict\":\"AUTHENTIC\""), verify.out());
    assertTrue(verify.out().contains("\"tampered_tiles\":[]"), verify.out());
  }

  @Test
  void aCopyWithAPastedBlobIsTamperedNamingItsTile() throws Exception {
    GrayImage clean = PngImages.read(slice);
    float[] px = clean.pixels();
    // A disc of radius 12 in the middle of tile 5 (x 64..127, y 64..127), contrasting with the
    // tissue it covers as a lesion does (the demo's pasted lesion): dark on bright, bright on dark.
    int cx = 96;
    int cy = 96;
    double sum = 0;
    int n = 0;
    for (int y = cy - 12; y <= cy + 12; y++) {
      for (int x = cx - 12; x <= cx + 12; x++) {
        sum += px[y * clean.width() + x];
        n++;
      }
    }
    float value = sum / n < 0.5 ? 0.95f : 0.05f;
    for (int y = cy - 12; y <= cy + 12; y++) {
      for (int x = cx - 12; x <= cx + 12; x++) {
        if (Math.hypot(x - cx, y - cy) <= 12) {
          px[y * clean.width() + x] = value;
        }
      }
    }
    Path copy = dir.resolve("blob.png");
    // 16-bit PNG holds every 8-bit value exactly, so only tile 5's content hash changes.
    PngImages.write16(new GrayImage(clean.width(), clean.height(), px), copy);

    Run table = run("image", "verify", copy.toString(), "--fingerprint", fp.toString());
    assertEquals(0, table.code(), table.err());
    assertTrue(table.out().contains("verdict: TAMPERED (tiles [5])"), table.out());

    Run json = run("image", "verify", copy.toString(), "--fingerprint", fp.toString(), "--json");
    assertTrue(json.out().contains("\"tampered_tiles\":[5]"), json.out());
  }

  @Test
  void aFingerprintWithAChangedLeafAndTheOldRootIsRefused() throws Exception {
    ImageAnchor anchor = readAnchor(fp);
    byte[] hash = anchor.getLeaves(5).getContentHash().toByteArray();
    hash[0] ^= 1;
    ImageAnchor edited =
        anchor.toBuilder()
            .setLeaves(5, anchor.getLeaves(5).toBuilder().setContentHash(ByteString.copyFrom(hash)))
            .build();
    Path bad = dir.resolve("edited.json");
    Files.writeString(bad, JsonFormat.printer().print(edited));

    Run verify = run("image", "verify", slice.toString(), "--fingerprint", bad.toString());
    assertEquals(1, verify.code());
    assertEquals("", verify.out());
    assertEquals(1, verify.err().strip().lines().count(), verify.err());
    assertTrue(verify.err().contains("merkle_root does not match the leaves"), verify.err());
  }

  @Test
  void aFingerprintFileThatIsNotAnAnchorIsRefused() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"leaves\": \"nope\", \"colour\": 3}");
    Run verify = run("image", "verify", slice.toString(), "--fingerprint", bad.toString());
    assertEquals(1, verify.code());
    assertTrue(verify.err().startsWith("error: "), verify.err());
    assertTrue(verify.err().contains("not an image fingerprint"), verify.err());

    Path latentless = dir.resolve("grid.json");
    ImageAnchor anchor = readAnchor(fp);
    Files.writeString(
        latentless,
        JsonFormat.printer()
            .print(anchor.toBuilder().setGrid(anchor.getGrid().toBuilder().setRows(2))));
    Run grid = run("image", "verify", slice.toString(), "--fingerprint", latentless.toString());
    assertEquals(1, grid.code());
    assertTrue(grid.err().contains("is not the 4x4 tile grid"), grid.err());
  }

  @Test
  void idAndFingerprintAreMutuallyExclusiveAndOneIsRequired() {
    Run both =
        run("image", "verify", slice.toString(), "--fingerprint", fp.toString(), "--id", "img-1");
    assertEquals(2, both.code());
    assertTrue(both.err().contains("mutually exclusive"), both.err());

    Run neither = run("image", "verify", slice.toString());
    assertEquals(2, neither.code());
    assertTrue(neither.err().contains("Missing required argument"), neither.err());

    Run idWithoutChain = run("image", "verify", slice.toString(), "--id", "img-1");
    assertEquals(2, idWithoutChain.code());
    assertTrue(
        idWithoutChain.err().contains("--id needs --genesis and --key"), idWithoutChain.err());
  }

  private static ImageAnchor readAnchor(Path file) throws Exception {
    ImageAnchor.Builder b = ImageAnchor.newBuilder();
    JsonFormat.parser().merge(Files.readString(file), b);
    return b.build();
  }
}
