package io.prosima.imaging.hashcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.imaging.io.GrayImage;
import org.junit.jupiter.api.Test;

class CanonicalViewTest {
  /** A blob off centre on a dark background, like a slice. */
  private static GrayImage blob(int w, int h, int cx, int cy) {
    float[] px = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double d = Math.hypot(x - cx, (y - cy) * 1.3);
        px[y * w + x] =
            d < 60 ? (float) (0.3 + 0.6 * Math.cos(d / 25) * Math.cos(d / 25) + 0.001 * x) : 0f;
      }
    }
    return new GrayImage(w, h, px);
  }

  @Test
  void aShiftedCopyHasTheSameCanonicalView() {
    GrayImage a = blob(256, 256, 120, 130);
    GrayImage shifted = CopyTransform.shift(a, 3, -4);
    assertEquals(CanonicalView.of(a), CanonicalView.of(shifted));
  }

  @Test
  void aCroppedCopyOfTheBackgroundHasTheSameCanonicalView() {
    GrayImage a = blob(256, 256, 128, 128);
    GrayImage cropped = CopyTransform.crop(a, 5, 2, 7, 3);
    assertEquals(256 - 12, cropped.width());
    // Same placement; intensities may move a little (fewer background pixels move percentiles).
    float[] va = CanonicalView.of(a).pixels();
    float[] vb = CanonicalView.of(cropped).pixels();
    double worst = 0;
    for (int i = 0; i < va.length; i++) {
      worst = Math.max(worst, Math.abs(va[i] - vb[i]));
    }
    assertTrue(worst < 0.02, "largest difference " + worst);
  }

  @Test
  void aLinearIntensityChangeIsUndone() {
    GrayImage a = blob(256, 256, 128, 128);
    float[] px = a.pixels();
    for (int i = 0; i < px.length; i++) {
      px[i] = 0.5f * px[i];
    }
    GrayImage darker = new GrayImage(256, 256, px);
    float[] va = CanonicalView.of(a).pixels();
    float[] vb = CanonicalView.of(darker).pixels();
    for (int i = 0; i < va.length; i++) {
      assertEquals(va[i], vb[i], 1e-5);
    }
  }

  @Test
  void aLargerImageIsReducedToFitAndAFlatOneStaysFlat() {
    GrayImage big = blob(700, 520, 350, 260);
    GrayImage v = CanonicalView.of(big);
    assertEquals(CanonicalView.SIDE_PX, v.width());
    assertEquals(CanonicalView.SIDE_PX, v.height());
    assertNotEquals(0f, v.get(128, 128));
    GrayImage flat = CanonicalView.of(new GrayImage(64, 64, new float[64 * 64]));
    for (float p : flat.pixels()) {
      assertEquals(0f, p);
    }
  }
}
