package io.prosima.imaging.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Named network weights as graph variables. A network is built against this class twice: for
 * training (seeded random initial values) and for export (trained values), so the exported graph
 * holds exactly one copy of each weight and no optimizer state.
 */
public final class Params {
  private final Ops tf;
  private final Map<String, float[]> initial;
  private final Random random;
  private final Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
  private final Map<String, long[]> shapes = new LinkedHashMap<>();

  private Params(Ops tf, Map<String, float[]> initial, Random random) {
    this.tf = tf;
    this.initial = initial;
    this.random = random;
  }

  /** Fresh weights: He-style normal values from {@code seed}. */
  public static Params random(Ops tf, long seed) {
    return new Params(tf, Map.of(), new Random(seed));
  }

  /**
   * Starting weights for fine-tuning: {@code values} where given (sizes must match), fresh seeded
   * values for the rest (federated rounds start G from the round's global model).
   */
  public static Params startingFrom(Ops tf, Map<String, float[]> values, long seed) {
    return new Params(tf, Map.copyOf(values), new Random(seed));
  }

  /** Trained weights; every weight the network asks for must be present with the right size. */
  public static Params fixed(Ops tf, Map<String, float[]> values) {
    return new Params(tf, values, null);
  }

  /**
   * The variable {@code name}; created on first use. {@code stddev} 0 means zeros (biases and the
   * last layer of residual branches, so a fresh network starts as the identity).
   */
  public Operand<TFloat32> get(String name, long[] shape, float stddev) {
    Variable<TFloat32> existing = variables.get(name);
    if (existing != null) {
      return existing;
    }
    int size = Math.toIntExact(Shape.of(shape).size());
    float[] values = initial.get(name);
    if (values != null && values.length != size) {
      throw new IllegalArgumentException("weights for " + name + " have the wrong size");
    }
    if (random == null) {
      if (values == null) {
        throw new IllegalArgumentException("weights for " + name + " are missing");
      }
    } else if (values == null) {
      values = new float[size];
      for (int i = 0; i < size; i++) {
        values[i] = stddev == 0 ? 0f : (float) (random.nextGaussian() * stddev);
      }
    }
    Variable<TFloat32> v =
        tf.withName(name.replace('/', '_'))
            .variable(tf.constant(Shape.of(shape), DataBuffers.of(values, true, false)));
    variables.put(name, v);
    shapes.put(name, shape.clone());
    return v;
  }

  /** All variables in creation order. */
  public Map<String, Variable<TFloat32>> variables() {
    return Collections.unmodifiableMap(variables);
  }

  public long[] shape(String name) {
    return shapes.get(name).clone();
  }
}
