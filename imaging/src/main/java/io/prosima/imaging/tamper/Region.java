package io.prosima.imaging.tamper;

import io.prosima.imaging.tiling.TileGrid;
import java.util.ArrayList;
import java.util.List;

/**
 * A square of pixels, top-left ({@code x}, {@code y}) and side {@code side}: where a local edit may
 * change pixels, and nowhere else.
 */
public record Region(int x, int y, int side) {
  public Region {
    if (x < 0 || y < 0 || side < 1) {
      throw new IllegalArgumentException("bad region " + x + "," + y + " side " + side);
    }
  }

  public boolean contains(int px, int py) {
    return px >= x && px < x + side && py >= y && py < y + side;
  }

  /** Whether the region lies inside an image of this size. */
  public boolean fits(int width, int height) {
    return x + side <= width && y + side <= height;
  }

  /** Indices of the tiles of {@code grid} this region overlaps, ascending. */
  public List<Integer> tiles(TileGrid grid) {
    int c0 = x / TileGrid.TILE_PX;
    int c1 = (x + side - 1) / TileGrid.TILE_PX;
    int r0 = y / TileGrid.TILE_PX;
    int r1 = (y + side - 1) / TileGrid.TILE_PX;
    List<Integer> out = new ArrayList<>();
    for (int r = r0; r <= r1; r++) {
      for (int c = c0; c <= c1; c++) {
        out.add(r * grid.cols() + c);
      }
    }
    return out;
  }

  public boolean overlaps(Region o) {
    return x < o.x + o.side && o.x < x + side && y < o.y + o.side && o.y < y + side;
  }
}
