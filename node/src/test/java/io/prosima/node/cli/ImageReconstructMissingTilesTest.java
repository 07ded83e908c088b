package io.prosima.node.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.util.JsonFormat;
import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.io.PngImages;
import io.prosima.imaging.metrics.ImageMetrics;
import io.prosima.imaging.tiling.TileGrid;
import io.prosima.node.image.ImageFingerprint;
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
 * `image reconstruct IN OUT --fingerprint FP.json --missing-tiles ...` as a user runs it, offline,
 * on a small image cut from a real MRI validation slice (192x128: a 3x2 grid of 64-px tiles).
 */
class ImageReconstructMissingTilesTest {
  private static final String SLICE = "ch2better_ax_140.png";
  private static final int X0 = 32;
  private static final int Y0 = 64;
  private static final int W = 192;
  private static final int H = 128;

  @TempDir Path dir;
  private Path small;
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
  void cutASmallImageAndFingerprintIt() throws Exception {
    Path slice = findSlice();
    assumeTrue(slice != null, "shared MRI slices (../shared/data) not found");
    GrayImage full = PngImages.read(slice);
    float[] px = new float[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        px[y * W + x] = full.get(X0 + x, Y0 + y);
      }
    }
    small = dir.resolve("small.png");
    PngImages.write16(new GrayImage(W, H, px), small);
    fp = dir.resolve("fp.json");
    Run made = run("image", "fingerprint", small.toString(), "--out", fp.toString());
    assertEquals(0, made.code(), made.err());
  }

  private static float[] tile(GrayImage image, int t) {
    TileGrid grid = new TileGrid(image.width(), image.height());
    return grid.tile(grid.pad(image), t);
  }

  @Test
  void theMissingTilesAreRebuiltAndEveryOtherTileIsKeptBitForBit() throws Exception {
    Path out = dir.resolve("out.png");
    Run r =
        run(
            "image",
            "reconstruct",
            small.toString(),
            out.toString(),
            "--fingerprint",
            fp.toString(),
            "--missing-tiles",
            "1,4");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("rebuilt lost tiles [1, 4]"), r.out());

    ImageAnchor anchor = readAnchor(fp);
    GrayImage original = PngImages.read(small);
    GrayImage rebuilt = PngImages.read(out);
    assertEquals(W, rebuilt.width());
    assertEquals(H, rebuilt.height());
    ImageFingerprint after = ImageFingerprint.of(rebuilt, null);
    for (int t = 0; t < 6; t++) {
      boolean same =
          after.leaves().get(t).getContentHash().equals(anchor.getLeaves(t).getContentHash());
      // The kept tiles hash to the anchored leaves, i.e. they are the same canonical bytes.
      assertEquals(t != 1 && t != 4, same, "tile " + t);
    }
    for (int t : new int[] {1, 4}) {
      float[] want = tile(original, t);
      float[] zeros = new float[want.length];
      double psnr = ImageMetrics.psnr(tile(rebuilt, t), want);
      // A rebuilt brain tile is far closer to the original than the zeros storage handed back.
      assertTrue(psnr > ImageMetrics.psnr(zeros, want) + 3, "tile " + t + ": " + psnr + " dB");
    }
  }

  @Test
  void whateverTheFileHoldsInTheMissingTilesIsIgnored() throws Exception {
    GrayImage original = PngImages.read(small);
    float[] px = original.pixels();
    for (int y = 0; y < 64; y++) {
      for (int x = 64; x < 128; x++) {
        px[y * W + x] = (x + y) % 2; // a checkerboard where tile 1 was
      }
    }
    Path garbled = dir.resolve("garbled.png");
    PngImages.write16(new GrayImage(W, H, px), garbled);
    Path fromClean = dir.resolve("a.png");
    Path fromGarbled = dir.resolve("b.png");

    Run a =
        run(
            "image",
            "reconstruct",
            small.toString(),
            fromClean.toString(),
            "--fingerprint",
            fp.toString(),
            "--missing-tiles",
            "1");
    Run b =
        run(
            "image",
            "reconstruct",
            garbled.toString(),
            fromGarbled.toString(),
            "--fingerprint",
            fp.toString(),
            "--missing-tiles",
            "1");

    assertEquals(0, a.code(), a.err());
    assertEquals(0, b.code(), b.err());
    assertArrayEquals(Files.readAllBytes(fromClean), Files.readAllBytes(fromGarbled));
  }

  @Test
  void aTileIndexOutsideTheGridIsRefusedAndNothingIsWritten() throws Exception {
    Path out = dir.resolve("out.png");
    Files.write(out, new byte[] {1, 2, 3});

    Run r =
        run(
            "image",
            "reconstruct",
            small.toString(),
            out.toString(),
            "--fingerprint",
            fp.toString(),
            "--missing-tiles",
            "1,6");

    assertEquals(2, r.code());
    assertEquals("", r.out());
    assertEquals(
        "error: tile 6 does not exist: the 192x128 image has tiles 0..5 (2 rows x 3 columns of 64"
            + " px)",
        r.err().strip());
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(out), "output was changed");

    Path fresh = dir.resolve("fresh.png");
    Run twice =
        run(
            "image",
            "reconstruct",
            small.toString(),
            fresh.toString(),
            "--fingerprint",
            fp.toString(),
            "--missing-tiles",
            "2,2");
    assertEquals(2, twice.code());
    assertTrue(twice.err().contains("tile 2 is listed twice"), twice.err());
    Run notANumber =
        run(
            "image",
            "reconstruct",
            small.toString(),
            fresh.toString(),
            "--fingerprint",
            fp.toString(),
            "--missing-tiles",
            "five");
    assertEquals(2, notANumber.code());
    assertFalse(Files.exists(fresh), "a refused run wrote its output");
  }

  @Test
  void missingTilesNeedTheLatentsFromAFingerprintOrTheChain() {
    Path out = dir.resolve("out.png");
    Run r = run("image", "reconstruct", small.toString(), out.toString(), "--missing-tiles", "1");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("give --fingerprint FP.json or --id"), r.err());
    assertFalse(Files.exists(out));

    Run onlyFp =
        run(
            "image",
            "reconstruct",
            small.toString(),
            out.toString(),
            "--fingerprint",
            fp.toString());
    assertEquals(2, onlyFp.code());
    assertNotEquals("", onlyFp.err());
    assertFalse(Files.exists(out));
  }

  private static ImageAnchor readAnchor(Path file) throws Exception {
    ImageAnchor.Builder b = ImageAnchor.newBuilder();
    JsonFormat.parser().merge(Files.readString(file), b);
    return b.build();
  }
}
