package io.prosima.imaging.tamper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.imaging.io.GrayImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each malicious edit changes what it claims, only inside its region, the same way every time. */
class LocalEditsTest {
  private final GrayImage clean = Phantoms.head(0);
  private final Region region = new Region(100, 90, 16);

  private void changesOnlyInside(LocalEdit edit, Region r) {
    GrayImage once = edit.apply(clean, r);
    List<int[]> changed = Phantoms.changed(clean, once);
    assertFalse(changed.isEmpty(), edit.name() + " changed nothing");
    for (int[] p : changed) {
      assertTrue(r.contains(p[0], p[1]), edit.name() + " changed " + p[0] + "," + p[1]);
    }
    assertEquals(once, edit.apply(clean, r), edit.name() + " is not deterministic");
  }

  @Test
  void copyMovePastesTheSourceBlockOfTheSameSlice() {
    Region source = new Region(150, 140, 16);
    GrayImage out = new CopyMove(source).apply(clean, region);
    for (int dy = 0; dy < 16; dy++) {
      for (int dx = 0; dx < 16; dx++) {
        assertEquals(clean.get(150 + dx, 140 + dy), out.get(100 + dx, 90 + dy));
      }
    }
    changesOnlyInside(new CopyMove(source), region);
  }

  @Test
  void splicePastesTheSourceBlockOfTheDonor() {
    GrayImage donor = Phantoms.head(5);
    Region source = new Region(60, 120, 16);
    GrayImage out = new Splice(donor, source).apply(clean, region);
    for (int dy = 0; dy < 16; dy++) {
      for (int dx = 0; dx < 16; dx++) {
        assertEquals(donor.get(60 + dx, 120 + dy), out.get(100 + dx, 90 + dy));
      }
    }
    changesOnlyInside(new Splice(donor, source), region);
  }

  @Test
  void aLesionAddsItsAmplitudeAtTheCentreAndNothingBeyondTwiceItsRadius() {
    for (int r = InsertedLesion.RADIUS_PX_MIN; r <= InsertedLesion.RADIUS_PX_MAX; r++) {
      for (double amplitude : new double[] {0.08, -0.2}) {
        InsertedLesion lesion = new InsertedLesion(r, amplitude);
        Region at = new Region(110, 100, lesion.sidePx());
        GrayImage out = lesion.apply(clean, at);
        int c = at.side() / 2;
        float before = clean.get(at.x() + c, at.y() + c);
        assertEquals(before + amplitude, out.get(at.x() + c, at.y() + c), 1e-6);
        // Half the amplitude at the radius (the raised cosine's half point).
        float atRadius =
            out.get(at.x() + c + r, at.y() + c) - clean.get(at.x() + c + r, at.y() + c);
        assertEquals(amplitude / 2, atRadius, 1e-6);
        changesOnlyInside(lesion, at);
      }
    }
  }

  @Test
  void aRemovedStructureErasesFineDetail() {
    // Fine detail (a period of 4 px, a few pixels wide like a small vessel) on mid grey.
    float[] px = new float[256 * 256];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) (0.5 + 0.2 * Math.sin((i % 256) * Math.PI / 2));
    }
    GrayImage fine = new GrayImage(256, 256, px);
    RemovedStructure removed = new RemovedStructure(16, TamperCases.REMOVAL_BLUR_SIGMA_PX);
    GrayImage out = removed.apply(fine, region);
    assertTrue(
        roughness(out, region) < 0.05 * roughness(fine, region), "blurred region keeps its detail");
    changesOnlyInside(removed, region);
  }

  @Test
  void anIntensityChangeScalesTheRegionByItsFactor() {
    for (double factor : new double[] {0.9, 1.1}) {
      IntensityChange change = new IntensityChange(16, factor);
      GrayImage out = change.apply(clean, region);
      for (int dy = 0; dy < 16; dy++) {
        for (int dx = 0; dx < 16; dx++) {
          float v = clean.get(100 + dx, 90 + dy);
          assertEquals(Math.min(1f, v * factor), out.get(100 + dx, 90 + dy), 1e-6);
        }
      }
      changesOnlyInside(change, region);
    }
  }

  /** Mean absolute difference between horizontal neighbours inside the region. */
  private static double roughness(GrayImage image, Region r) {
    double sum = 0;
    for (int y = r.y(); y < r.y() + r.side(); y++) {
      for (int x = r.x(); x < r.x() + r.side() - 1; x++) {
        sum += Math.abs(image.get(x + 1, y) - image.get(x, y));
      }
    }
    return sum / (r.side() * (r.side() - 1));
  }
}
