package io.prosima.imaging.tamper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.tiling.TileGrid;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Malicious cases sit in the anatomy, where their placement says, and follow the seed. */
class TamperCasesTest {
  private final GrayImage slice = Phantoms.head(0);
  private final GrayImage donor = Phantoms.head(9);
  private final TileGrid grid = new TileGrid(256, 256);

  @Test
  void regionsAreInTheAnatomyInsideOneTileOrAcrossABorder() {
    Random random = new Random(7);
    for (int i = 0; i < 50; i++) {
      Region inside = RegionPicker.pick(slice, 16, Placement.INSIDE_TILE, random).orElseThrow();
      assertEquals(1, inside.tiles(grid).size());
      assertTrue(RegionPicker.isAnatomy(slice, inside));
      Region border = RegionPicker.pick(slice, 16, Placement.ACROSS_BORDER, random).orElseThrow();
      assertTrue(border.tiles(grid).size() >= 2);
      assertTrue(RegionPicker.isAnatomy(slice, border));
    }
  }

  @Test
  void anAllBlackSliceHasNoRoomForAnEdit() {
    GrayImage black = new GrayImage(256, 256, new float[256 * 256]);
    assertTrue(RegionPicker.pick(black, 16, Placement.INSIDE_TILE, new Random(1)).isEmpty());
  }

  @Test
  void everyClassAndPlacementIsDrawnAndEachEditStaysInItsRegion() {
    List<TamperCases.Malicious> cases = TamperCases.draw(slice, donor, 2, new Random(11));
    // 5 classes x 2 placements x 2 cases: the phantom has room for all of them.
    assertEquals(20, cases.size());
    for (Placement p : Placement.values()) {
      for (String cls : List.of("copy-move", "splice", "lesion", "removed", "intensity")) {
        assertEquals(
            2,
            cases.stream().filter(c -> c.placement() == p && c.group().startsWith(cls)).count(),
            cls + " " + p);
      }
    }
    for (TamperCases.Malicious c : cases) {
      GrayImage out = c.apply(slice);
      List<int[]> changed = Phantoms.changed(slice, out);
      assertFalse(changed.isEmpty(), c.group());
      for (int[] px : changed) {
        assertTrue(c.region().contains(px[0], px[1]), c.group() + " outside its region");
      }
      if (c.edit() instanceof CopyMove m) {
        assertFalse(m.source().overlaps(c.region()));
      }
      if (c.edit() instanceof InsertedLesion l) {
        assertTrue(l.radiusPx() >= 3 && l.radiusPx() <= 8);
        assertTrue(Math.abs(l.amplitude()) >= 0.08 && Math.abs(l.amplitude()) <= 0.2);
      }
    }
  }

  @Test
  void theSameSeedDrawsTheSameCasesAndAnotherSeedOthers() {
    List<TamperCases.Malicious> a = TamperCases.draw(slice, donor, 2, new Random(5));
    List<TamperCases.Malicious> b = TamperCases.draw(slice, donor, 2, new Random(5));
    List<TamperCases.Malicious> c = TamperCases.draw(slice, donor, 2, new Random(6));
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).region(), b.get(i).region());
      assertEquals(a.get(i).group(), b.get(i).group());
      assertEquals(a.get(i).apply(slice), b.get(i).apply(slice));
    }
    assertNotEquals(
        a.stream().map(TamperCases.Malicious::region).toList(),
        c.stream().map(TamperCases.Malicious::region).toList());
  }

  @Test
  void lesionsAreReportedInSizeBuckets() {
    assertEquals("lesion r3-4px", TamperCases.lesionGroup(3));
    assertEquals("lesion r3-4px", TamperCases.lesionGroup(4));
    assertEquals("lesion r7-8px", TamperCases.lesionGroup(8));
  }
}
