package io.prosima.imaging.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.io.PngImages;
import io.prosima.imaging.model.ImageReconstructor;
import io.prosima.imaging.model.ShippedModels;
import io.prosima.imaging.testsupport.SharedData;
import io.prosima.imaging.tiling.TileGrid;
import io.prosima.imaging.tiling.TileHashes;
import io.prosima.imaging.train.Corruptions;
import io.prosima.proto.v1.TileLeaf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The verifier on a real validation slice with the shipped encoder. */
class ImageVerifierTest {
  static final Path SLICE = SharedData.resolve("mri/human-t1-axial/ch2better_ax_135.png");

  /** A tile in the middle of the brain (row 1, column 1 of the 4x4 grid). */
  static final int BRAIN_TILE = 5;

  static ImageReconstructor model;
  static GrayImage clean;
  static TileGrid grid;
  static List<TileLeaf> leaves;

  @BeforeAll
  static void anchorTheSlice() throws Exception {
    Assumptions.assumeTrue(Files.isRegularFile(SLICE), "no shared data");
    model = ImageReconstructor.load(ShippedModels.defaultDir());
    clean = PngImages.read(SLICE);
    grid = TileGrid.of(clean);
    leaves = TileHashes.leaves(clean, model.latents(clean));
  }

  @AfterAll
  static void closeTheModel() {
    if (model != null) {
      model.close();
    }
  }

  @Test
  void anUntouchedImageIsAuthentic() throws Exception {
    VerificationResult r = ImageVerifier.verify(clean, grid, leaves, model);
    assertEquals(Verdict.AUTHENTIC, r.verdict());
    assertEquals(16, r.tiles().size());
    assertTrue(r.tiles().stream().allMatch(t -> t.exactMatch() && Double.isNaN(t.deviation())));
    assertTrue(r.tamperedTiles().isEmpty());
    assertEquals(Verdict.AUTHENTIC, ImageVerifier.verify(clean, leaves, model).verdict());
  }

  @Test
  void aNoisyCopyIsSemanticallyConsistent() throws Exception {
    GrayImage noisy =
        new GrayImage(256, 256, Corruptions.gaussian(clean.pixels(), 0.02, new Random(3)))
            .clippedToUnit();
    VerificationResult r = ImageVerifier.verify(noisy, grid, leaves, model);
    assertEquals(Verdict.SEMANTICALLY_CONSISTENT, r.verdict(), r.toTable());
    assertTrue(r.tiles().stream().noneMatch(TileCheck::exactMatch));
    assertTrue(r.tiles().get(BRAIN_TILE).deviation() <= ImageVerifier.DEVIATION_MAX);
  }

  @Test
  void anEmptyCornerTileOfANoisyCopyIsFlaggedLowInformationButNotTampered() throws Exception {
    // A slice near the top of the head: its corner tiles are empty background.
    Path top = SharedData.resolve("mri/human-t1-axial/ch2better_ax_245.png");
    GrayImage slice = PngImages.read(top);
    List<TileLeaf> anchored = TileHashes.leaves(slice, model.latents(slice));
    GrayImage noisy =
        new GrayImage(256, 256, Corruptions.gaussian(slice.pixels(), 0.05, new Random(4)))
            .clippedToUnit();
    VerificationResult r = ImageVerifier.verify(noisy, TileGrid.of(slice), anchored, model);
    TileCheck corner = r.tiles().get(0);
    assertTrue(corner.lowInformation(), r.toTable());
    assertFalse(corner.tampered(), r.toTable());
    assertFalse(r.tiles().get(BRAIN_TILE).lowInformation(), r.toTable());
    assertEquals(Verdict.SEMANTICALLY_CONSISTENT, r.verdict(), r.toTable());
  }

  @Test
  void aDiscPastedIntoOneTileIsTamperedNamingExactlyThatTile() throws Exception {
    GrayImage altered = withDisc(clean, grid, BRAIN_TILE, 32, 32, 10);
    VerificationResult r = ImageVerifier.verify(altered, grid, leaves, model);
    assertEquals(Verdict.TAMPERED, r.verdict(), r.toTable());
    assertEquals(List.of(BRAIN_TILE), r.tamperedTiles());
    TileCheck t = r.tiles().get(BRAIN_TILE);
    assertFalse(t.exactMatch());
    assertTrue(t.deviation() > ImageVerifier.DEVIATION_MAX, r.toTable());
    assertTrue(r.toJson().contains("\"tampered_tiles\":[" + BRAIN_TILE + "]"), r.toJson());
  }

  @Test
  void anImageOfAnotherSizeIsTamperedInEveryTileWithANote() throws Exception {
    float[] px = new float[255 * 256];
    for (int y = 0; y < 256; y++) {
      for (int x = 0; x < 255; x++) {
        px[y * 255 + x] = clean.get(x, y);
      }
    }
    GrayImage cropped = new GrayImage(255, 256, px);
    VerificationResult r = ImageVerifier.verify(cropped, grid, leaves, model);
    assertEquals(Verdict.TAMPERED, r.verdict());
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      all.add(i);
    }
    assertEquals(all, r.tamperedTiles());
    assertTrue(r.note().contains("255x256") && r.note().contains("256x256"), r.note());

    // Without the anchor's grid, only a different tile count is noticed.
    GrayImage wider = new GrayImage(320, 256, new float[320 * 256]);
    VerificationResult w = ImageVerifier.verify(wider, leaves, model);
    assertEquals(all, w.tamperedTiles());
    assertTrue(w.note().contains("20 tiles"), w.note());
  }

  @Test
  void aMalformedFingerprintIsRefused() {
    List<TileLeaf> short15 = leaves.subList(0, 15);
    assertThrows(
        IllegalArgumentException.class, () -> ImageVerifier.verify(clean, grid, short15, model));
    List<TileLeaf> shuffled = new ArrayList<>(leaves);
    shuffled.set(0, leaves.get(1));
    assertThrows(
        IllegalArgumentException.class, () -> ImageVerifier.verify(clean, grid, shuffled, model));
  }

  /**
   * A lesion-like disc (radius {@code r}, 2-px soft edge) at (cx, cy) inside tile {@code index}:
   * bright on tissue darker than 0.5 on average, dark otherwise.
   */
  static GrayImage withDisc(GrayImage image, TileGrid grid, int index, int cx, int cy, int r) {
    int side = TileGrid.TILE_PX;
    int x0 = index % grid.cols() * side;
    int y0 = index / grid.cols() * side;
    double mean = 0;
    int n = 0;
    for (int y = cy - r; y <= cy + r; y++) {
      for (int x = cx - r; x <= cx + r; x++) {
        if (Math.hypot(x - cx, y - cy) <= r) {
          mean += image.get(x0 + x, y0 + y);
          n++;
        }
      }
    }
    float value = mean / n < 0.5 ? 0.95f : 0.05f;
    float[] px = image.pixels();
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        double w = Math.max(0, Math.min(1, (r + 1 - Math.hypot(x - cx, y - cy)) / 2));
        int i = (y0 + y) * image.width() + x0 + x;
        px[i] = (float) (w * value + (1 - w) * px[i]);
      }
    }
    return new GrayImage(image.width(), image.height(), px);
  }
}
