package io.prosima.node.image;

import com.google.protobuf.ByteString;
import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.tiling.QuantizedLatent;
import io.prosima.node.models.ModelAnchors;
import io.prosima.proto.v1.ImageAnchor;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.ReconstructionRecord;
import io.prosima.proto.v1.TileLeaf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reconstruction conditioned on what the chain vouches for (DESIGN.md, provenance pipeline): G gets
 * the image's on-chain latents z*, never latents of the corrupted input, and only an anchored model
 * runs. The record names the output's Merkle root and the tiles whose input differed from the chain
 * (the ones that needed reconstructing).
 */
public final class ChainReconstruction {
  private ChainReconstruction() {}

  public record Result(GrayImage output, byte[] outputRoot, List<Integer> repairedTiles) {}

  public static Result run(ImageHistory history, GrayImage corrupted, Models.Opened models)
      throws IOException {
    if (!models.anchored()) {
      throw new IOException("refusing to reconstruct with a model that is not anchored on chain");
    }
    ImageAnchor anchor = history.anchor();
    if (corrupted.width() != anchor.getGrid().getImageWidth()
        || corrupted.height() != anchor.getGrid().getImageHeight()) {
      throw new IOException(
          "input is "
              + corrupted.width()
              + "x"
              + corrupted.height()
              + " but image "
              + anchor.getImageId()
              + " is "
              + anchor.getGrid().getImageWidth()
              + "x"
              + anchor.getGrid().getImageHeight());
    }
    List<QuantizedLatent> zStar = new ArrayList<>();
    for (TileLeaf leaf : anchor.getLeavesList()) {
      if (leaf.getLatent().isEmpty()) {
        throw new IOException("image " + anchor.getImageId() + " was anchored without latents");
      }
      zStar.add(new QuantizedLatent(leaf.getLatent().toByteArray(), leaf.getLatentScale()));
    }
    ImageFingerprint input = ImageFingerprint.of(corrupted, null);
    List<Integer> repaired = new ArrayList<>();
    for (int t = 0; t < input.leaves().size(); t++) {
      if (!input.leaves().get(t).getContentHash().equals(anchor.getLeaves(t).getContentHash())) {
        repaired.add(t);
      }
    }
    GrayImage output = models.reconstructor().reconstruct(corrupted, zStar);
    byte[] root = ImageFingerprint.of(output, models).merkleRoot();
    return new Result(output, root, repaired);
  }

  /** The ReconstructionRecord for a result made with G of {@code version}. */
  public static Payload record(String imageId, String version, Result result) {
    return Payload.newBuilder()
        .setReconstructionRecord(
            ReconstructionRecord.newBuilder()
                .setImageId(imageId)
                .setModelId(ModelAnchors.GENERATOR_ID)
                .setModelVersion(version)
                .setOutputMerkleRoot(ByteString.copyFrom(result.outputRoot()))
                .addAllReconstructedTiles(result.repairedTiles()))
        .build();
  }
}
