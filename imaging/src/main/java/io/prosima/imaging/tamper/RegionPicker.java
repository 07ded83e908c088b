package io.prosima.imaging.tamper;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.tiling.TileGrid;
import java.util.Optional;
import java.util.Random;

/**
 * Picks where an edit goes: a square inside the anatomy (so the edit changes tissue, not the black
 * background around the head), inside one tile or across a tile border.
 */
public final class RegionPicker {
  /** A pixel above this (data in [0, 1]) is not background; the verifier's foreground level. */
  public static final float ANATOMY_LEVEL = 0.1f;

  /** At least this fraction of a region's pixels must be anatomy. */
  public static final double ANATOMY_FRACTION_MIN = 0.9;

  /** Random positions tried before a slice is declared to have no room for the edit. */
  static final int ATTEMPTS_MAX = 5_000;

  private RegionPicker() {}

  /** A region of side {@code side} in the anatomy of {@code image} with this placement, if any. */
  public static Optional<Region> pick(
      GrayImage image, int side, Placement placement, Random random) {
    TileGrid grid = new TileGrid(image.width(), image.height());
    for (int attempt = 0; attempt < ATTEMPTS_MAX; attempt++) {
      Region r =
          new Region(
              random.nextInt(image.width() - side + 1),
              random.nextInt(image.height() - side + 1),
              side);
      boolean inside = r.tiles(grid).size() == 1;
      if (inside == (placement == Placement.INSIDE_TILE) && isAnatomy(image, r)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** A region in the anatomy that does not overlap {@code avoid} (a copy-move source). */
  public static Optional<Region> pickDisjoint(
      GrayImage image, int side, Region avoid, Random random) {
    for (int attempt = 0; attempt < ATTEMPTS_MAX; attempt++) {
      Region r =
          new Region(
              random.nextInt(image.width() - side + 1),
              random.nextInt(image.height() - side + 1),
              side);
      if (!r.overlaps(avoid) && isAnatomy(image, r)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** A region anywhere in the anatomy of {@code image} (a splice's source in another slice). */
  public static Optional<Region> pickAnywhere(GrayImage image, int side, Random random) {
    for (int attempt = 0; attempt < ATTEMPTS_MAX; attempt++) {
      Region r =
          new Region(
              random.nextInt(image.width() - side + 1),
              random.nextInt(image.height() - side + 1),
              side);
      if (isAnatomy(image, r)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  public static boolean isAnatomy(GrayImage image, Region r) {
    int n = 0;
    for (int y = r.y(); y < r.y() + r.side(); y++) {
      for (int x = r.x(); x < r.x() + r.side(); x++) {
        n += image.get(x, y) > ANATOMY_LEVEL ? 1 : 0;
      }
    }
    return n >= ANATOMY_FRACTION_MIN * r.side() * r.side();
  }
}
