package io.prosima.imaging.model;

import io.prosima.imaging.engine.TensorFlowBootstrap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Writes trained weights as two TensorFlow SavedModels that DJL loads with engine "TensorFlow":
 *
 * <ul>
 *   <li>{@code encoder/}: input {@code tile} [n, 64, 64, 1], output {@code embedding} [n, 64] (unit
 *       length).
 *   <li>{@code generator/}: inputs {@code image} [1, h, w, 1] (h, w multiples of 64) and {@code
 *       latent} [1, h/64, w/64, 64]; output {@code output} [1, h, w, 1] clipped to [0, 1].
 * </ul>
 *
 * Each graph is built fresh from the weights, so each model holds only its own weights.
 */
public final class ModelExport {
  public static final String ENCODER_DIR = "encoder";
  public static final String GENERATOR_DIR = "generator";
  public static final String SIGNATURE = "serving_default";

  private ModelExport() {}

  public static void export(Map<String, float[]> weights, Path outDir) throws IOException {
    TensorFlowBootstrap.ensureLoaded();
    Files.createDirectories(outDir);
    exportEncoder(weights, outDir.resolve(ENCODER_DIR));
    exportGenerator(weights, outDir.resolve(GENERATOR_DIR));
  }

  private static void exportEncoder(Map<String, float[]> weights, Path dir) throws IOException {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Networks net = new Networks(tf, Params.fixed(tf, weights));
      Placeholder<TFloat32> tile =
          tf.withName("tile")
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 64, 64, 1)));
      Operand<TFloat32> emb = tf.withName("embedding").identity(net.encoder(tile));
      s.initialize();
      save(s, dir, Signature.builder().key(SIGNATURE).input("tile", tile).output("embedding", emb));
    }
  }

  private static void exportGenerator(Map<String, float[]> weights, Path dir) throws IOException {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Networks net = new Networks(tf, Params.fixed(tf, weights));
      Placeholder<TFloat32> image =
          tf.withName("image")
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 1)));
      Placeholder<TFloat32> latent =
          tf.withName("latent")
              .placeholder(
                  TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, Networks.EMBEDDING_DIM)));
      Operand<TFloat32> out =
          tf.withName("output").identity(net.clip01(net.generator(image, latent, 1)));
      s.initialize();
      save(
          s,
          dir,
          Signature.builder()
              .key(SIGNATURE)
              .input("image", image)
              .input("latent", latent)
              .output("output", out));
    }
  }

  /**
   * Writes the inpainting G ({@link Networks#inpaintGenerator}, weights under {@code i/}) to {@code
   * dir}: inputs {@code image} [1, h, w, 1] with the lost tiles harmonic-filled, {@code mask} [1,
   * h, w, 1] (1 on lost pixels) and {@code latent} [1, h/64, w/64, 64]; output {@code output}
   * clipped to [0, 1].
   */
  public static void exportInpaint(Map<String, float[]> weights, Path dir) throws IOException {
    TensorFlowBootstrap.ensureLoaded();
    Files.createDirectories(dir);
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Networks net = new Networks(tf, Params.fixed(tf, weights));
      Placeholder<TFloat32> image =
          tf.withName("image")
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 1)));
      Placeholder<TFloat32> mask =
          tf.withName("mask")
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 1)));
      Placeholder<TFloat32> latent =
          tf.withName("latent")
              .placeholder(
                  TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, Networks.EMBEDDING_DIM)));
      Operand<TFloat32> out =
          tf.withName("output").identity(net.clip01(net.inpaintGenerator(image, mask, latent, 1)));
      s.initialize();
      save(
          s,
          dir,
          Signature.builder()
              .key(SIGNATURE)
              .input("image", image)
              .input("mask", mask)
              .input("latent", latent)
              .output("output", out));
    }
  }

  private static void save(Session s, Path dir, Signature.Builder signature) throws IOException {
    SavedModelBundle.exporter(dir.toString())
        .withFunction(SessionFunction.create(signature.build(), s))
        .export();
  }
}
