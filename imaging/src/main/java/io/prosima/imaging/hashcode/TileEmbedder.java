package io.prosima.imaging.hashcode;

import java.io.IOException;
import java.util.List;

/** E as the similarity code needs it: 64x64 tiles in, one embedding per tile out. */
@FunctionalInterface
public interface TileEmbedder {
  float[][] embed(List<float[]> tiles) throws IOException;
}
