package io.prosima.imaging.placement;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Measures how many fragment placements move when one node joins or leaves: for each (image, tile),
 * the number of chosen nodes that are new (each needs one fragment copied to it). The ideal for any
 * scheme that spreads load evenly is about s/N per tile.
 */
public final class PlacementStability {
  /**
   * @param movedPerTileJoin mean fragments that move per tile when one node joins
   * @param movedPerTileLeave mean fragments that move per tile when one node leaves
   * @param idealPerTile s/N, the fair share of a single node
   */
  public record Result(
      int nodes,
      int regions,
      int s,
      int images,
      int tilesPerImage,
      double movedPerTileJoin,
      double movedPerTileLeave,
      double idealPerTile) {}

  private PlacementStability() {}

  /** Runs the measurement on a seeded random validator set. */
  public static Result measure(
      int nodes, int regions, int s, int images, int tilesPerImage, long seed) {
    Random rnd = new Random(seed);
    List<PlacementNode> base = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      base.add(randomNode(rnd, "region-" + (i % regions)));
    }
    List<PlacementNode> joined = new ArrayList<>(base);
    joined.add(randomNode(rnd, "region-" + rnd.nextInt(regions)));
    List<PlacementNode> left = new ArrayList<>(base);
    left.remove(rnd.nextInt(left.size()));
    long movedJoin = 0;
    long movedLeave = 0;
    for (int img = 0; img < images; img++) {
      String imageId = "image-" + img;
      String uploader = "region-" + (img % regions);
      for (int t = 0; t < tilesPerImage; t++) {
        Set<PlacementNode> before =
            new HashSet<>(FragmentPlacement.choose(imageId, t, base, uploader, s));
        movedJoin += newNodes(before, FragmentPlacement.choose(imageId, t, joined, uploader, s));
        movedLeave += newNodes(before, FragmentPlacement.choose(imageId, t, left, uploader, s));
      }
    }
    double tiles = (double) images * tilesPerImage;
    return new Result(
        nodes,
        regions,
        s,
        images,
        tilesPerImage,
        movedJoin / tiles,
        movedLeave / tiles,
        (double) s / nodes);
  }

  private static int newNodes(Set<PlacementNode> before, List<PlacementNode> after) {
    int n = 0;
    for (PlacementNode p : after) {
      if (!before.contains(p)) {
        n++;
      }
    }
    return n;
  }

  private static PlacementNode randomNode(Random rnd, String region) {
    byte[] key = new byte[PlacementNode.PUBLIC_KEY_BYTES];
    rnd.nextBytes(key);
    return new PlacementNode(key, region);
  }
}
