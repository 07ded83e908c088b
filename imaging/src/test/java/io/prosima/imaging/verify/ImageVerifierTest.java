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
    assertTrue(r.tiles().stream().allMatch(t -> t.exactMatch() && Double.isNaN(t.cosine())));
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
    assertTrue(r.tiles().get(BRAIN_TILE).cosine() >= ImageVerifier.COSINE_MIN);
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
    float[] lesion = VerifierCalibration.contrastDisc(grid.tile(clean, BRAIN_TILE), 32, 32, 10);
    GrayImage altered = VerifierCalibration.replaceTile(clean, grid, BRAIN_TILE, lesion);
    VerificationResult r = ImageVerifier.verify(altered, grid, leaves, model);
    assertEquals(Verdict.TAMPERED, r.verdict(), r.toTable());
    assertEquals(List.of(BRAIN_TILE), r.tamperedTiles());
    TileCheck t = r.tiles().get(BRAIN_TILE);
    assertFalse(t.exactMatch());
    assertTrue(t.cosine() < ImageVerifier.COSINE_MIN, r.toTable());
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
}
