package io.prosima.node.models;

import com.google.protobuf.ByteString;
import io.prosima.imaging.inpaint.TileInpainter;
import io.prosima.imaging.model.AnchoredModel;
import io.prosima.imaging.model.ModelExport;
import io.prosima.node.client.TxSigner;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Metric;
import io.prosima.proto.v1.ModelAnchor;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.Transaction;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Builds the ModelAnchor transactions for a models directory (PROSIMA protocol 1: a model state is
 * usable only once its weights hash is on chain). E is anchored as {@value #ENCODER_ID}, G as
 * {@value #GENERATOR_ID} with E of the same version as its parent, in that order, then (when
 * shipped) the inpainting G as {@value #INPAINT_GENERATOR_ID}, also with E as its parent.
 */
public final class ModelAnchors {
  public static final String ENCODER_ID = "prosima-encoder";
  public static final String GENERATOR_ID = "prosima-generator";

  /**
   * The inpainting G that rebuilds lost tiles (issue 13), anchored when the models directory has
   * {@code inpaint/generator}; its parent is E of the same version, whose latents it reads.
   */
  public static final String INPAINT_GENERATOR_ID = "prosima-inpaint-generator";

  public static final String TRAINING_PROPERTIES = "training.properties";

  /** The ledger's limit on training_metadata (PayloadRules). */
  static final int METADATA_CHARS_MAX = 4096;

  static final int METRICS_MAX = 64;

  private ModelAnchors() {}

  public static List<Transaction> anchorTxs(
      Path modelsDir, String version, String chainId, KeyFile key, long expiryHeight)
      throws IOException {
    byte[] encoder = AnchoredModel.weightsSha256(modelsDir.resolve(ModelExport.ENCODER_DIR));
    byte[] generator = AnchoredModel.weightsSha256(modelsDir.resolve(ModelExport.GENERATOR_DIR));
    String metadata = "";
    Properties props = new Properties();
    Path card = modelsDir.resolve(TRAINING_PROPERTIES);
    if (Files.isRegularFile(card)) {
      metadata = Files.readString(card, StandardCharsets.UTF_8);
      props.load(new StringReader(metadata));
      if (metadata.length() > METADATA_CHARS_MAX) {
        metadata = metadata.substring(0, METADATA_CHARS_MAX);
      }
    }
    ModelAnchor.Builder e =
        ModelAnchor.newBuilder()
            .setModelId(ENCODER_ID)
            .setVersion(version)
            .setWeightsSha256(ByteString.copyFrom(encoder))
            .setTrainingMetadata(metadata);
    ModelAnchor.Builder g =
        ModelAnchor.newBuilder()
            .setModelId(GENERATOR_ID)
            .setVersion(version)
            .setWeightsSha256(ByteString.copyFrom(generator))
            .addParents(ENCODER_ID + "@" + version)
            .setTrainingMetadata(metadata);
    addMetrics(g, props);
    long nonce = System.currentTimeMillis() * 1000;
    List<Transaction> txs = new ArrayList<>();
    txs.add(sign(chainId, key, nonce, expiryHeight, e.build()));
    txs.add(sign(chainId, key, nonce + 1, expiryHeight, g.build()));
    Path inpaint = modelsDir.resolve(TileInpainter.DIR);
    Path inpaintGenerator = inpaint.resolve(ModelExport.GENERATOR_DIR);
    if (Files.isRegularFile(inpaintGenerator.resolve("saved_model.pb"))) {
      String inpaintMetadata = "";
      Properties inpaintProps = new Properties();
      Path inpaintCard = inpaint.resolve(TRAINING_PROPERTIES);
      if (Files.isRegularFile(inpaintCard)) {
        inpaintMetadata = Files.readString(inpaintCard, StandardCharsets.UTF_8);
        inpaintProps.load(new StringReader(inpaintMetadata));
        if (inpaintMetadata.length() > METADATA_CHARS_MAX) {
          inpaintMetadata = inpaintMetadata.substring(0, METADATA_CHARS_MAX);
        }
      }
      ModelAnchor.Builder i =
          ModelAnchor.newBuilder()
              .setModelId(INPAINT_GENERATOR_ID)
              .setVersion(version)
              .setWeightsSha256(ByteString.copyFrom(AnchoredModel.weightsSha256(inpaintGenerator)))
              .addParents(ENCODER_ID + "@" + version)
              .setTrainingMetadata(inpaintMetadata);
      addMetrics(i, inpaintProps);
      txs.add(sign(chainId, key, nonce + 2, expiryHeight, i.build()));
    }
    return List.copyOf(txs);
  }

  /** Numeric card entries become metrics, in name order so the transaction is reproducible. */
  private static void addMetrics(ModelAnchor.Builder anchor, Properties props) {
    for (String name : new TreeSet<>(props.stringPropertyNames())) {
      if (anchor.getMetricsCount() >= METRICS_MAX || name.endsWith("sha256")) {
        continue;
      }
      try {
        double value = Double.parseDouble(props.getProperty(name).trim());
        if (Double.isFinite(value)) {
          anchor.addMetrics(
              Metric.newBuilder().setName(name.toLowerCase(Locale.ROOT)).setValue(value));
        }
      } catch (NumberFormatException notANumber) {
        // Text entries stay in training_metadata only.
      }
    }
  }

  private static Transaction sign(
      String chainId, KeyFile key, long nonce, long expiryHeight, ModelAnchor anchor) {
    return TxSigner.sign(
        chainId, key, nonce, expiryHeight, Payload.newBuilder().setModelAnchor(anchor).build());
  }
}
