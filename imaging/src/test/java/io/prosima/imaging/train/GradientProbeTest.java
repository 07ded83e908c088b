package io.prosima.imaging.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.imaging.engine.TensorFlowBootstrap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * Every op the networks use has a gradient in TensorFlow's C++ registry ({@code
 * Graph.addGradients}). Found while probing: BatchMatMulV2/V3 have none (attention uses 2-D MatMul
 * per batch element instead) and Square applied directly to a variable crashes the process inside
 * the gradient builder (squares are written as Mul).
 */
class GradientProbeTest {
  @BeforeAll
  static void loadEngine() throws Exception {
    TensorFlowBootstrap.ensureLoaded();
  }

  static Map<String, BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>>> ops() {
    Map<String, BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>>> m = new LinkedHashMap<>();
    m.put(
        "Conv2D stride 2",
        (tf, x) -> tf.nn.conv2d(x, tf.constant(filled(0.1f)), List.of(1L, 2L, 2L, 1L), "SAME"));
    m.put("BiasAdd", (tf, x) -> tf.nn.biasAdd(x, tf.constant(new float[] {1f})));
    m.put("LeakyRelu", (tf, x) -> tf.nn.leakyRelu(x, LeakyRelu.alpha(0.1f)));
    m.put(
        "ResizeNearestNeighbor",
        (tf, x) -> tf.image.resizeNearestNeighbor(x, tf.constant(new int[] {16, 16})));
    m.put("ConcatV2", (tf, x) -> tf.concat(List.of(x, x), tf.constant(3)));
    m.put(
        "MatMul transposed",
        (tf, x) -> {
          Operand<TFloat32> r = tf.reshape(x, tf.constant(new int[] {16, 8}));
          return tf.linalg.matMul(r, r, MatMul.transposeB(true));
        });
    m.put("Softmax", (tf, x) -> tf.nn.softmax(tf.reshape(x, tf.constant(new int[] {-1, 8}))));
    m.put(
        "SoftmaxCrossEntropyWithLogits",
        (tf, x) -> {
          Operand<TFloat32> l = tf.reshape(x, tf.constant(new int[] {-1, 8}));
          float[][] oneHot = new float[16][8];
          for (int i = 0; i < 16; i++) {
            oneHot[i][i % 8] = 1f;
          }
          return tf.nn.softmaxCrossEntropyWithLogits(l, tf.constant(oneHot)).loss();
        });
    m.put("Mean", (tf, x) -> tf.math.mean(x, tf.constant(new int[] {1, 2})));
    m.put("Sum", (tf, x) -> tf.sum(x, tf.constant(new int[] {1, 2})));
    m.put("Abs", (tf, x) -> tf.math.abs(x));
    m.put("Mul", (tf, x) -> tf.math.mul(x, x));
    m.put("Rsqrt", (tf, x) -> tf.math.rsqrt(tf.math.add(tf.math.mul(x, x), tf.constant(1f))));
    m.put("Transpose", (tf, x) -> tf.linalg.transpose(x, tf.constant(new int[] {0, 2, 1, 3})));
    m.put("Split", (tf, x) -> tf.split(tf.constant(0), x, 2L).output().get(1));
    m.put(
        "Minimum/Maximum",
        (tf, x) -> tf.math.minimum(tf.math.maximum(x, tf.constant(0f)), tf.constant(1f)));
    return m;
  }

  private static float[][][][] filled(float value) {
    float[][][][] f = new float[3][3][1][2];
    for (float[][][] a : f) {
      for (float[][] b : a) {
        java.util.Arrays.fill(b[0], value);
      }
    }
    return f;
  }

  static Stream<String> opNames() {
    return ops().keySet().stream();
  }

  @ParameterizedTest(name = "{0} has a registered gradient")
  @MethodSource("opNames")
  void eachOpTheNetworksUseHasAGradient(String name) {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Variable<TFloat32> w =
          tf.variable(
              tf.random.truncatedNormal(tf.constant(new long[] {2, 8, 8, 1}), TFloat32.class));
      Operand<TFloat32> y = ops().get(name).apply(tf, w);
      Operand<TFloat32> loss = Trainer.mean(tf, tf.math.mul(y, y));
      Output<?>[] grads = g.addGradients(loss.asOutput(), new Output<?>[] {w.asOutput()});
      s.initialize();
      try (var r = s.runner().fetch(grads[0]).run()) {
        assertEquals(128, r.get(0).shape().size());
      }
    }
  }

  @ParameterizedTest(name = "Adam lowers the loss of a {0} network")
  @MethodSource("opNames")
  void adamLowersTheLossThroughEachOp(String name) {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Variable<TFloat32> w =
          tf.variable(
              tf.random.truncatedNormal(tf.constant(new long[] {2, 8, 8, 1}), TFloat32.class));
      Operand<TFloat32> y = ops().get(name).apply(tf, w);
      Operand<TFloat32> loss = Trainer.mean(tf, tf.math.abs(tf.math.sub(y, tf.constant(0.25f))));
      Trainer.Adam adam = new Trainer.Adam(tf, g, loss, Map.of("w", w));
      s.initialize();
      double first = adam.step(s.runner(), 1, 0.01, loss);
      double last = first;
      for (int step = 2; step <= 40; step++) {
        last = adam.step(s.runner(), step, 0.01, loss);
      }
      assertTrue(last < first, name + ": loss " + first + " -> " + last);
    }
  }
}
