package io.prosima.imaging.inpaint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.tiling.TileGrid;
import java.util.List;
import org.junit.jupiter.api.Test;

class HarmonicFillTest {
  private static final int SIDE = 256;

  /** 0.1 + 0.002 x + 0.001 y: linear, so its discrete Laplacian is zero everywhere. */
  private static GrayImage ramp() {
    float[] px = new float[SIDE * SIDE];
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        px[y * SIDE + x] = (float) (0.1 + 0.002 * x + 0.001 * y);
      }
    }
    return new GrayImage(SIDE, SIDE, px);
  }

  @Test
  void aLinearRampIsRebuiltExactlyInsideTwoLostInteriorTiles() {
    GrayImage ramp = ramp();
    LostTiles lost = LostTiles.of(new TileGrid(SIDE, SIDE), List.of(5, 6));
    GrayImage damaged = lost.zeroed(ramp);

    GrayImage filled = lost.harmonic(damaged);

    float[] want = ramp.pixels();
    float[] got = filled.pixels();
    double errorMax = 0;
    for (int i = 0; i < want.length; i++) {
      errorMax = Math.max(errorMax, Math.abs(want[i] - got[i]));
    }
    assertEquals(0.0, errorMax, 1e-5, "largest error of the harmonic fill on a ramp");
  }

  @Test
  void aConstantIsRebuiltAtTheImageCornerWhereTheBorderIsNeumann() {
    float[] px = new float[SIDE * SIDE];
    java.util.Arrays.fill(px, 0.4f);
    GrayImage flat = new GrayImage(SIDE, SIDE, px);
    LostTiles lost = LostTiles.of(new TileGrid(SIDE, SIDE), List.of(0));

    GrayImage filled = lost.harmonic(lost.zeroed(flat));

    for (float v : filled.pixels()) {
      assertEquals(0.4f, v, 1e-5f);
    }
  }

  @Test
  void pixelsOutsideTheLostTilesAreReturnedUnchanged() {
    GrayImage ramp = ramp();
    float[] px = ramp.pixels();
    px[3] = 0.9f; // outside any lost tile
    GrayImage input = new GrayImage(SIDE, SIDE, px);
    LostTiles lost = LostTiles.of(new TileGrid(SIDE, SIDE), List.of(10));

    GrayImage filled = lost.harmonic(input);

    boolean[] mask = lost.imageMask();
    float[] out = filled.pixels();
    for (int i = 0; i < px.length; i++) {
      if (!mask[i]) {
        assertEquals(Float.floatToIntBits(px[i]), Float.floatToIntBits(out[i]), "pixel " + i);
      }
    }
  }

  @Test
  void aTileOutsideTheGridOrListedTwiceIsRefused() {
    TileGrid grid = new TileGrid(SIDE, SIDE);
    var outside =
        assertThrows(IllegalArgumentException.class, () -> LostTiles.of(grid, List.of(16)));
    assertEquals(
        "tile 16 does not exist: the 256x256 image has tiles 0..15 (4 rows x 4 columns of 64 px)",
        outside.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LostTiles.of(grid, List.of(-1)));
    assertThrows(IllegalArgumentException.class, () -> LostTiles.of(grid, List.of(3, 3)));
    assertThrows(IllegalArgumentException.class, () -> LostTiles.of(grid, List.of()));
  }

  @Test
  void withNothingLostTheFillIsTheInput() {
    float[] px = ramp().pixels();
    assertArrayEquals(px, HarmonicFill.fill(px, SIDE, SIDE, new boolean[px.length]));
  }
}
