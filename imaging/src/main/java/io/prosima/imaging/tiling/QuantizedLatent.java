package io.prosima.imaging.tiling;

import java.util.Arrays;

/**
 * A latent fingerprint z as int8 values with one float scale: z[i] ~ values[i] * scale. The scale
 * is max |z| / 127, so the largest component maps to +-127 (symmetric, -128 unused).
 */
public record QuantizedLatent(byte[] values, float scale) {
  public QuantizedLatent {
    values = values.clone();
    if (!(scale >= 0) || Float.isInfinite(scale)) {
      throw new IllegalArgumentException("scale must be finite and >= 0: " + scale);
    }
  }

  public static QuantizedLatent quantize(float[] z) {
    float max = 0;
    for (float v : z) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("latent has a non-finite value");
      }
      max = Math.max(max, Math.abs(v));
    }
    float scale = max / 127f;
    byte[] q = new byte[z.length];
    if (scale > 0) {
      for (int i = 0; i < z.length; i++) {
        q[i] = (byte) Math.max(-127, Math.min(127, Math.round(z[i] / scale)));
      }
    }
    return new QuantizedLatent(q, scale);
  }

  public float[] dequantize() {
    float[] out = new float[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = values[i] * scale;
    }
    return out;
  }

  @Override
  public byte[] values() {
    return values.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QuantizedLatent q && q.scale == scale && Arrays.equals(q.values, values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(values) + Float.hashCode(scale);
  }

  @Override
  public String toString() {
    return "QuantizedLatent[" + values.length + " x int8, scale " + scale + "]";
  }
}
