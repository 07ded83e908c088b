package io.prosima.imaging.tamper;

import io.prosima.imaging.io.GrayImage;

/**
 * Copy-move: the block at {@code source} of the same slice pasted over the region (hiding or
 * duplicating a structure with the image's own tissue, the classic forgery).
 */
public record CopyMove(Region source) implements LocalEdit {
  @Override
  public String name() {
    return "copy-move";
  }

  @Override
  public int sidePx() {
    return source.side();
  }

  @Override
  public GrayImage apply(GrayImage image, Region region) {
    return Blocks.paste(image, image, source, region);
  }
}
