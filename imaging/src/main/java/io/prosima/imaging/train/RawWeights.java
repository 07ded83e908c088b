package io.prosima.imaging.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trained weights in a plain file (name, shape, float32 values), so models can be re-exported
 * without retraining. Not shipped: the SavedModels are the artefacts.
 */
public final class RawWeights {
  public static final String FILE = "weights.raw";
  private static final int MAGIC = 0x50525731; // "PRW1"
  private static final int TENSORS_MAX = 10_000;
  private static final int TENSOR_FLOATS_MAX = 1 << 26;

  private RawWeights() {}

  public static void write(Map<String, float[]> weights, Map<String, long[]> shapes, Path file)
      throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeInt(MAGIC);
      out.writeInt(weights.size());
      for (var e : weights.entrySet()) {
        out.writeUTF(e.getKey());
        long[] shape = shapes.get(e.getKey());
        out.writeInt(shape.length);
        for (long d : shape) {
          out.writeLong(d);
        }
        out.writeInt(e.getValue().length);
        for (float f : e.getValue()) {
          out.writeFloat(f);
        }
      }
    }
  }

  public static Map<String, float[]> read(Path file) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != MAGIC) {
        throw new IOException(file + ": not a raw weights file");
      }
      int n = in.readInt();
      if (n < 0 || n > TENSORS_MAX) {
        throw new IOException(file + ": bad tensor count " + n);
      }
      Map<String, float[]> out = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        int rank = in.readInt();
        for (int r = 0; r < rank; r++) {
          in.readLong();
        }
        int len = in.readInt();
        if (len < 0 || len > TENSOR_FLOATS_MAX) {
          throw new IOException(file + ": bad tensor size " + len);
        }
        float[] values = new float[len];
        for (int j = 0; j < len; j++) {
          values[j] = in.readFloat();
        }
        out.put(name, values);
      }
      return out;
    }
  }
}
