package io.prosima.imaging.tamper;

import io.prosima.imaging.io.GrayImage;

/** Splice: the block at {@code source} of another slice ({@code donor}) pasted over the region. */
public record Splice(GrayImage donor, Region source) implements LocalEdit {
  @Override
  public String name() {
    return "splice";
  }

  @Override
  public int sidePx() {
    return source.side();
  }

  @Override
  public GrayImage apply(GrayImage image, Region region) {
    return Blocks.paste(image, donor, source, region);
  }
}
