package io.prosima.imaging.hashcode;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A learned linear map from a feature vector to a binary code: bit j = [ (f - mean) . w_j &gt; t_j
 * ]. File format (big-endian): ASCII "prosima-hashcode-v1\n", u32 feature dimensions d, u32 bits b,
 * then d floats of the mean, d x b floats of the matrix, row-major (feature i, bit j), and b floats
 * of the thresholds.
 */
public final class HashProjection {
  static final byte[] MAGIC = "prosima-hashcode-v1\n".getBytes(StandardCharsets.US_ASCII);

  /** Limits on a projection file, checked before anything is allocated. */
  static final int DIMENSIONS_MAX = 1 << 14;

  static final int BITS_MAX = 256;

  private final int dimensions;
  private final int bits;
  private final float[] mean;
  private final float[] matrix;
  private final float[] thresholds;

  public HashProjection(
      int dimensions, int bits, float[] mean, float[] matrix, float[] thresholds) {
    if (dimensions < 1 || dimensions > DIMENSIONS_MAX) {
      throw new IllegalArgumentException("dimensions must be 1.." + DIMENSIONS_MAX);
    }
    if (bits < 8 || bits > BITS_MAX || bits % 8 != 0) {
      throw new IllegalArgumentException("bits must be a multiple of 8 in 8.." + BITS_MAX);
    }
    if (mean.length != dimensions
        || matrix.length != dimensions * bits
        || thresholds.length != bits) {
      throw new IllegalArgumentException(
          "mean or matrix does not match " + dimensions + "x" + bits);
    }
    this.dimensions = dimensions;
    this.bits = bits;
    this.mean = mean.clone();
    this.matrix = matrix.clone();
    this.thresholds = thresholds.clone();
  }

  public int dimensions() {
    return dimensions;
  }

  public int bits() {
    return bits;
  }

  /** The code of a feature vector: {@code bits / 8} bytes, bit j = byte j/8, bit 7 - j%8. */
  public byte[] code(float[] feature) {
    double[] v = project(feature);
    byte[] out = new byte[bits / 8];
    for (int j = 0; j < bits; j++) {
      if (v[j] > thresholds[j]) {
        out[j >>> 3] |= (byte) (0x80 >>> (j & 7));
      }
    }
    return out;
  }

  /**
   * Each bit's margin: projection minus threshold (the bit is set when positive). Its size says how
   * surely the bit would keep its value under a small change of the input.
   */
  public double[] margins(float[] feature) {
    double[] v = project(feature);
    for (int j = 0; j < bits; j++) {
      v[j] -= thresholds[j];
    }
    return v;
  }

  /** The code whose bits are the signs of {@code margins}. */
  public static byte[] codeOf(double[] margins) {
    byte[] out = new byte[margins.length / 8];
    for (int j = 0; j < margins.length; j++) {
      if (margins[j] > 0) {
        out[j >>> 3] |= (byte) (0x80 >>> (j & 7));
      }
    }
    return out;
  }

  /** The real-valued projection before the sign. */
  public double[] project(float[] feature) {
    if (feature.length != dimensions) {
      throw new IllegalArgumentException(
          "feature has " + feature.length + " values, the projection " + dimensions);
    }
    double[] v = new double[bits];
    for (int i = 0; i < dimensions; i++) {
      double c = feature[i] - mean[i];
      if (c == 0) {
        continue;
      }
      int row = i * bits;
      for (int j = 0; j < bits; j++) {
        v[j] += c * matrix[row + j];
      }
    }
    return v;
  }

  public byte[] toBytes() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.write(MAGIC);
      out.writeInt(dimensions);
      out.writeInt(bits);
      for (float m : mean) {
        out.writeFloat(m);
      }
      for (float w : matrix) {
        out.writeFloat(w);
      }
      for (float t : thresholds) {
        out.writeFloat(t);
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public void write(Path file) throws IOException {
    Files.write(file, toBytes());
  }

  public static HashProjection read(Path file) throws IOException {
    long size = Files.size(file);
    long sizeMax = MAGIC.length + 8L + 4L * ((long) DIMENSIONS_MAX * (1L + BITS_MAX) + BITS_MAX);
    if (size > sizeMax) {
      throw new IOException(file + ": " + size + " bytes is too large for a hash projection");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in.readAllBytes(), file.toString());
    }
  }

  static HashProjection parse(byte[] bytes, String what) throws IOException {
    if (bytes.length < MAGIC.length + 8
        || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new IOException(what + " is not a prosima hash projection file");
    }
    DataInputStream in =
        new DataInputStream(
            new java.io.ByteArrayInputStream(bytes, MAGIC.length, bytes.length - MAGIC.length));
    int d = in.readInt();
    int b = in.readInt();
    if (d < 1 || d > DIMENSIONS_MAX || b < 8 || b > BITS_MAX || b % 8 != 0) {
      throw new IOException(what + ": bad dimensions " + d + " or bits " + b);
    }
    long expected = MAGIC.length + 8L + 4L * ((long) d * (1L + b) + b);
    if (bytes.length != expected) {
      throw new IOException(what + ": " + bytes.length + " bytes, expected " + expected);
    }
    float[] mean = new float[d];
    for (int i = 0; i < d; i++) {
      mean[i] = in.readFloat();
    }
    float[] matrix = new float[d * b];
    for (int i = 0; i < matrix.length; i++) {
      matrix[i] = in.readFloat();
    }
    float[] thresholds = new float[b];
    for (int i = 0; i < b; i++) {
      thresholds[i] = in.readFloat();
    }
    for (float[] part : new float[][] {mean, matrix, thresholds}) {
      for (float f : part) {
        if (!Float.isFinite(f)) {
          throw new IOException(what + ": non-finite value");
        }
      }
    }
    return new HashProjection(d, b, mean, matrix, thresholds);
  }
}
