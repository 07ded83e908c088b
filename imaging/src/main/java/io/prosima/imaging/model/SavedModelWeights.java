package io.prosima.imaging.model;

import io.prosima.imaging.engine.TensorFlowBootstrap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Reads the weights of an exported E or G SavedModel back into named arrays (the names {@link
 * Params} uses), so a shipped model can be the starting point of further training.
 */
public final class SavedModelWeights {
  private SavedModelWeights() {}

  /** Names and shapes of every E and G weight, in creation order. */
  public static Map<String, long[]> shapes() throws IOException {
    TensorFlowBootstrap.ensureLoaded();
    try (Graph g = new Graph()) {
      Params params = buildGraph(Ops.create(g), 0, true);
      Map<String, long[]> out = new LinkedHashMap<>();
      for (String name : params.variables().keySet()) {
        if (name.startsWith("e/") || name.startsWith("g/")) {
          out.put(name, params.shape(name));
        }
      }
      return out;
    }
  }

  /** The weights whose names start with {@code prefix} ("e/" or "g/") from a SavedModel dir. */
  public static Map<String, float[]> read(Path modelDir, String prefix) throws IOException {
    if (!Files.isRegularFile(modelDir.resolve("saved_model.pb"))) {
      throw new IOException(modelDir + " is not a SavedModel directory");
    }
    if (!Files.isDirectory(modelDir.resolve("variables"))) {
      // A model without weights: the shipped E is a fixed operator (8x8 block means, issue 13).
      // Training starts any weight it does not find afresh, and E's are not used by G's losses.
      return new LinkedHashMap<>();
    }
    Map<String, long[]> shapes = shapes();
    Map<String, float[]> out = new LinkedHashMap<>();
    try (SavedModelBundle bundle = SavedModelBundle.load(modelDir.toString(), "serve")) {
      for (var e : shapes.entrySet()) {
        if (!e.getKey().startsWith(prefix)) {
          continue;
        }
        try (Result r = bundle.session().runner().fetch(e.getKey().replace('/', '_')).run()) {
          TFloat32 t = (TFloat32) r.get(0);
          float[] values = new float[Math.toIntExact(t.shape().size())];
          t.read(DataBuffers.of(values, false, false));
          out.put(e.getKey(), values);
        }
      }
    } catch (IllegalArgumentException | org.tensorflow.exceptions.TensorFlowException e) {
      throw new IOException(modelDir + ": cannot read its weights: " + e.getMessage(), e);
    }
    return out;
  }

  /** Freshly initialised weights (the trainer's initialisation from {@code seed}) by prefix. */
  public static Map<String, float[]> fresh(long seed, String prefix) throws IOException {
    TensorFlowBootstrap.ensureLoaded();
    try (Graph g = new Graph();
        org.tensorflow.Session s = new org.tensorflow.Session(g)) {
      Params params = buildGraph(Ops.create(g), seed, false);
      s.initialize();
      Map<String, float[]> out = new LinkedHashMap<>();
      for (var e : params.variables().entrySet()) {
        if (!e.getKey().startsWith(prefix)) {
          continue;
        }
        try (Result r = s.runner().fetch(e.getValue()).run()) {
          TFloat32 t = (TFloat32) r.get(0);
          float[] values = new float[Math.toIntExact(t.shape().size())];
          t.read(DataBuffers.of(values, false, false));
          out.put(e.getKey(), values);
        }
      }
      return out;
    }
  }

  /**
   * Builds E and G (and, with {@code features}, E's feature maps) on a 64×64 placeholder so that
   * every variable exists; returns their parameters initialised from {@code seed}.
   */
  private static Params buildGraph(Ops tf, long seed, boolean features) {
    Params params = Params.random(tf, seed);
    Networks net = new Networks(tf, params);
    var image =
        tf.placeholder(
            TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(1, 64, 64, 1)));
    var latent =
        tf.placeholder(
            TFloat32.class,
            Placeholder.shape(org.tensorflow.ndarray.Shape.of(1, 1, 1, Networks.EMBEDDING_DIM)));
    net.encoder(image);
    if (features) {
      net.encoderFeatures(image);
    }
    net.generator(image, latent, 1);
    return params;
  }
}
