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

  @Test
  void dicomInputIsFingerprintedAndASmallerImageIsTamperedEverywhere() throws Exception {
    Path dicom = slice.getParent().resolve("../../dicom").normalize();
    assumeTrue(Files.isRegularFile(dicom.resolve("CT_small.dcm")), "shared DICOM files not found");
    Path ctFp = dir.resolve("ct.json");
    Run made =
        run(
            "image",
            "fingerprint",
            dicom.resolve("CT_small.dcm").toString(),
            "--out",
            ctFp.toString());
    assertEquals(0, made.code(), made.err());
    assertEquals(4, readAnchor(ctFp).getLeavesCount()); // 128x128: a 2x2 grid

    Run same =
        run(
            "image",
            "verify",
            dicom.resolve("CT_small.dcm").toString(),
            "--fingerprint",
            ctFp.toString());
    assertTrue(same.out().contains("verdict: AUTHENTIC"), same.out() + same.err());

    Run other =
        run(
            "image",
            "verify",
            dicom.resolve("MR_small.dcm").toString(),
            "--fingerprint",
            ctFp.toString());
    assertEquals(0, other.code(), other.err());
    assertTrue(
        other.out().contains("verdict: TAMPERED (tiles [0, 1, 2, 3]) - image is 64x64"),
        other.out());
  }

  @Test
  void theNiftiSliceOptionsPickTheImageThatIsFingerprintedAndVerified() throws Exception {
    Path nifti = writeVolume(dir.resolve("v.nii"));
    Path niiFp = dir.resolve("nii.json");
    Run made =
        run("image", "fingerprint", nifti.toString(), "--slice", "0", "--out", niiFp.toString());
    assertEquals(0, made.code(), made.err());

    Run same =
        run("image", "verify", nifti.toString(), "--slice", "0", "--fingerprint", niiFp.toString());
    assertTrue(same.out().contains("verdict: AUTHENTIC"), same.out() + same.err());
    Run other =
        run("image", "verify", nifti.toString(), "--slice", "2", "--fingerprint", niiFp.toString());
    assertEquals(0, other.code(), other.err());
    assertTrue(
        other.out().contains("verdict: ") && !other.out().contains("verdict: AUTHENTIC"),
        other.out());
  }

  /** A NIfTI-1 volume of 64x64x3 int16 voxels whose three axial slices differ. */
  private static Path writeVolume(Path file) throws Exception {
    int side = 64;
    int depth = 3;
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(352 + 2 * side * side * depth)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, 348);
    b.putShort(40, (short) 3);
    b.putShort(42, (short) side).putShort(44, (short) side).putShort(46, (short) depth);
    b.putShort(70, (short) 4); // int16
    b.putShort(72, (short) 16);
    b.putFloat(108, 352f);
    b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1').put(347, (byte) 0);
    int at = 352;
    for (int k = 0; k < depth; k++) {
      for (int j = 0; j < side; j++) {
        for (int i = 0; i < side; i++) {
          // A bright square whose position depends on the slice, on a gradient.
          boolean square = i >= 10 + 15 * k && i < 30 + 15 * k && j >= 20 && j < 40;
          b.putShort(at, (short) (i + j + (square ? 800 : 0)));
          at += 2;
        }
      }
    }
    Files.write(file, b.array());
    return file;
  }

  private static ImageAnchor readAnchor(Path file) throws Exception {
    ImageAnchor.Builder b = ImageAnchor.newBuilder();
    JsonFormat.parser().merge(Files.readString(file), b);
    return b.build();
  }
}
