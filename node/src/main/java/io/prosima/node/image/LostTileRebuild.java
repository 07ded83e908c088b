package io.prosima.node.image;

import io.prosima.imaging.inpaint.LostTiles;
import io.prosima.imaging.inpaint.TileInpainter;
import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.tiling.QuantizedLatent;
import io.prosima.imaging.tiling.TileGrid;
import io.prosima.proto.v1.ImageAnchor;
import io.prosima.proto.v1.TileLeaf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Lost tiles rebuilt from the chain (issue 13, item 4): the named tiles of an image are treated as
 * lost (zeroed, whatever the file holds there) and rebuilt by the inpainting G from their
 * neighbours and their anchored latents z*, taken from the image's leaves (on chain, or a checked
 * fingerprint file). Every other tile is written back exactly as it was read.
 *
 * <p>Checks come first and change nothing: the image must have the anchored size, the tile indices
 * must exist in its grid, and the leaves must carry latents.
 */
public final class LostTileRebuild {
  private LostTileRebuild() {}

  /**
   * What was rebuilt. {@code otherTilesDiffering}: tiles not named lost whose content hash differs
   * from the leaves (they are kept as read, not repaired; `image verify` says what they are).
   */
  public record Result(
      GrayImage output, List<Integer> rebuiltTiles, List<Integer> otherTilesDiffering) {}

  /** The lost tiles checked against the anchored grid; throws with a clear message otherwise. */
  public static LostTiles check(ImageAnchor anchor, GrayImage image, Collection<Integer> missing)
      throws IOException {
    int w = anchor.getGrid().getImageWidth();
    int h = anchor.getGrid().getImageHeight();
    if (image.width() != w || image.height() != h) {
      throw new IOException(
          "input is "
              + image.width()
              + "x"
              + image.height()
              + " but the fingerprint is of a "
              + w
              + "x"
              + h
              + " image");
    }
    LostTiles lost = LostTiles.of(new TileGrid(w, h), missing);
    for (TileLeaf leaf : anchor.getLeavesList()) {
      if (leaf.getLatent().isEmpty()) {
        throw new IOException(
            "the image was anchored without latents: lost tiles cannot be rebuilt from the chain");
      }
    }
    return lost;
  }

  /** z* of every tile, as anchored. */
  public static List<QuantizedLatent> anchoredLatents(ImageAnchor anchor) {
    List<QuantizedLatent> z = new ArrayList<>(anchor.getLeavesCount());
    for (TileLeaf leaf : anchor.getLeavesList()) {
      z.add(new QuantizedLatent(leaf.getLatent().toByteArray(), leaf.getLatentScale()));
    }
    return z;
  }

  /** Rebuilds {@code lost} (from {@link #check}) in {@code image} with {@code inpainter}. */
  public static Result run(
      ImageAnchor anchor, GrayImage image, LostTiles lost, TileInpainter inpainter)
      throws IOException {
    GrayImage damaged = lost.zeroed(image);
    GrayImage output = inpainter.inpaint(damaged, lost, anchoredLatents(anchor));
    ImageFingerprint read = ImageFingerprint.of(image, null);
    List<Integer> differing = new ArrayList<>();
    for (int t = 0; t < read.leaves().size(); t++) {
      if (!lost.contains(t)
          && !read.leaves().get(t).getContentHash().equals(anchor.getLeaves(t).getContentHash())) {
        differing.add(t);
      }
    }
    return new Result(output, List.copyOf(lost.indices()), differing);
  }
}
