package io.prosima.node.image;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.prosima.imaging.hashcode.HashCoder;
import io.prosima.imaging.hashcode.HashProjection;
import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.model.AnchoredModel;
import io.prosima.imaging.model.ImageReconstructor;
import io.prosima.imaging.model.ModelExport;
import io.prosima.node.client.NodeClient;
import io.prosima.node.models.ModelAnchors;
import io.prosima.proto.v1.GetModelRequest;
import io.prosima.proto.v1.ModelRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Opens E and G from a models directory, preferring the version anchored on chain: when {@code
 * version} of both is anchored, the weights must hash to the anchored values (else refused); when
 * it is not, the shipped models run and say so in their label.
 */
public final class Models {
  private Models() {}

  /** The open models and which E they are ({@code ImageAnchor.encoder}). */
  public record Opened(
      ImageReconstructor reconstructor,
      String encoderLabel,
      boolean anchored,
      HashProjection similarity)
      implements TileEncoder, AutoCloseable {
    /** The code and bit margins of a query image, or null without a projection. */
    public HashCoder.Query similarityQuery(GrayImage image) throws IOException {
      return similarity == null
          ? null
          : new HashCoder(reconstructor::embed, similarity).query(image);
    }

    /** The similarity code with the projection shipped beside the models (empty without one). */
    @Override
    public byte[] similarityCode(GrayImage image) throws IOException {
      return similarity == null
          ? new byte[0]
          : new HashCoder(reconstructor::embed, similarity).code(image);
    }

    @Override
    public float[][] embed(List<float[]> tiles) throws IOException {
      return reconstructor.embed(tiles);
    }

    @Override
    public String label() {
      return encoderLabel;
    }

    @Override
    public void close() {
      reconstructor.close();
    }
  }

  /** Opens the models; {@code requireAnchored} refuses to run models not anchored on chain. */
  public static Opened open(Path dir, NodeClient node, String version, boolean requireAnchored)
      throws IOException {
    Optional<ModelRecord> e = anchored(node, ModelAnchors.ENCODER_ID, version);
    Optional<ModelRecord> g = anchored(node, ModelAnchors.GENERATOR_ID, version);
    if (e.isPresent() && g.isPresent()) {
      return new Opened(
          ImageReconstructor.loadAnchored(
              dir,
              e.get().getWeightsSha256().toByteArray(),
              g.get().getWeightsSha256().toByteArray()),
          ModelAnchors.ENCODER_ID + "@" + version,
          true,
          similarity(dir));
    }
    if (requireAnchored) {
      throw new IOException(
          "model version "
              + version
              + " of "
              + ModelAnchors.ENCODER_ID
              + " and "
              + ModelAnchors.GENERATOR_ID
              + " is not anchored on chain; anchor it first (prosima model anchor)");
    }
    return openShipped(dir);
  }

  /**
   * Opens the models in {@code dir} without a chain (offline fingerprint and verify); the label
   * names E by its weights hash so a fingerprint file records which E made its latents.
   */
  public static Opened openShipped(Path dir) throws IOException {
    byte[] shipped = AnchoredModel.weightsSha256(dir.resolve(ModelExport.ENCODER_DIR));
    return new Opened(
        ImageReconstructor.load(dir),
        "shipped-sha256:" + HexFormat.of().formatHex(shipped).substring(0, 16),
        false,
        similarity(dir));
  }

  /** The shipped similarity-code projection under {@code dir}, or null when there is none. */
  static HashProjection similarity(Path dir) throws IOException {
    Path file = HashCoder.shippedFile(dir);
    return Files.isRegularFile(file) ? HashProjection.read(file) : null;
  }

  private static Optional<ModelRecord> anchored(NodeClient node, String modelId, String version) {
    try {
      return Optional.of(
          node.query()
              .getModel(
                  GetModelRequest.newBuilder().setModelId(modelId).setVersion(version).build()));
    } catch (StatusRuntimeException ex) {
      if (ex.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw ex;
    }
  }
}
