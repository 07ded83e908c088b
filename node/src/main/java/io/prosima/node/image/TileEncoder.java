package io.prosima.node.image;

import java.io.IOException;
import java.util.List;

/**
 * The latent encoder E as ingest and verification see it: tiles in, unit-length embeddings out,
 * plus the label recorded on chain ({@code ImageAnchor.encoder}).
 */
public interface TileEncoder {
  float[][] embed(List<float[]> tiles) throws IOException;

  /** "model_id@version" for an anchored E, "shipped-sha256:…" for the shipped one. */
  String label();

  /**
   * The image's 128-bit similarity code (ImageAnchor.similarity_code, issue 16), or an empty array
   * when no code projection is available.
   */
  default byte[] similarityCode(io.prosima.imaging.io.GrayImage image) throws IOException {
    return new byte[0];
  }
}
