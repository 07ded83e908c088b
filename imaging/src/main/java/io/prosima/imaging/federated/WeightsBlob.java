package io.prosima.imaging.federated;

import io.prosima.proto.wire.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical bytes of a set of named float tensors: what a federated round anchors (its SHA-256
 * is the ModelAnchor's weights_sha256) and moves between hospitals. One encoding per set of
 * weights: tensors in name order, big-endian.
 *
 * <pre>
 *   u32 magic "PFW1" | u32 tensor count
 *   per tensor: u16 name length | name (UTF-8) | u8 rank | u32 dims[rank] | f32 values[prod(dims)]
 * </pre>
 *
 * Decoding is defensive (the bytes come from the network): lengths are checked against the bytes
 * present and against the expected model before anything is allocated.
 */
public final class WeightsBlob {
  static final int MAGIC = 0x50465731; // "PFW1"

  /** Largest blob accepted (G is about 1.3 MB). */
  public static final int BLOB_BYTES_MAX = 64 << 20;

  static final int RANK_MAX = 8;
  static final int NAME_BYTES_MAX = 256;

  private WeightsBlob() {}

  /** Encodes {@code weights} (shapes given per name; every tensor's size must match its shape). */
  public static byte[] encode(Map<String, float[]> weights, Map<String, long[]> shapes) {
    TreeMap<String, float[]> sorted = new TreeMap<>(weights);
    long bytes = 8;
    for (var e : sorted.entrySet()) {
      long[] shape = shapes.get(e.getKey());
      if (shape == null || size(shape) != e.getValue().length) {
        throw new IllegalArgumentException("no shape or wrong size for " + e.getKey());
      }
      bytes += 2 + e.getKey().getBytes(StandardCharsets.UTF_8).length + 1 + 4L * shape.length;
      bytes += 4L * e.getValue().length;
    }
    if (bytes > BLOB_BYTES_MAX) {
      throw new IllegalArgumentException("weights take " + bytes + " bytes, above the limit");
    }
    ByteBuffer b = ByteBuffer.allocate((int) bytes);
    b.putInt(MAGIC).putInt(sorted.size());
    for (var e : sorted.entrySet()) {
      byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
      long[] shape = shapes.get(e.getKey());
      b.putShort((short) name.length).put(name).put((byte) shape.length);
      for (long d : shape) {
        b.putInt((int) d);
      }
      b.asFloatBuffer().put(e.getValue());
      b.position(b.position() + 4 * e.getValue().length);
    }
    return b.array();
  }

  public static byte[] sha256(byte[] blob) {
    return Sha256.hash(blob);
  }

  /**
   * Decodes {@code blob}, which must hold exactly the tensors of {@code expected} (same names, same
   * shapes) and nothing else; throws {@link BadBlobException} otherwise.
   */
  public static Map<String, float[]> decode(byte[] blob, Map<String, long[]> expected)
      throws BadBlobException {
    if (blob.length > BLOB_BYTES_MAX) {
      throw new BadBlobException("blob of " + blob.length + " bytes is above the limit");
    }
    ByteBuffer b = ByteBuffer.wrap(blob);
    try {
      if (b.getInt() != MAGIC) {
        throw new BadBlobException("not a weights blob");
      }
      int n = b.getInt();
      if (n != expected.size()) {
        throw new BadBlobException("has " + n + " tensors, the model has " + expected.size());
      }
      Map<String, float[]> out = new LinkedHashMap<>();
      String previous = null;
      for (int i = 0; i < n; i++) {
        int nameLength = Short.toUnsignedInt(b.getShort());
        if (nameLength == 0 || nameLength > NAME_BYTES_MAX || nameLength > b.remaining()) {
          throw new BadBlobException("bad tensor name length");
        }
        byte[] nameBytes = new byte[nameLength];
        b.get(nameBytes);
        String name = new String(nameBytes, StandardCharsets.UTF_8);
        if (previous != null && previous.compareTo(name) >= 0) {
          throw new BadBlobException("tensors are not in strict name order");
        }
        previous = name;
        long[] shape = expected.get(name);
        if (shape == null) {
          throw new BadBlobException("unexpected tensor " + name);
        }
        int rank = Byte.toUnsignedInt(b.get());
        if (rank != shape.length || rank > RANK_MAX) {
          throw new BadBlobException(name + " has rank " + rank + ", expected " + shape.length);
        }
        for (int r = 0; r < rank; r++) {
          long d = Integer.toUnsignedLong(b.getInt());
          if (d != shape[r]) {
            throw new BadBlobException(name + " has a shape other than the model's");
          }
        }
        long size = size(shape);
        if (4 * size > b.remaining()) {
          throw new BadBlobException(name + " is truncated");
        }
        float[] values = new float[(int) size];
        b.asFloatBuffer().get(values);
        b.position(b.position() + 4 * values.length);
        out.put(name, values);
      }
      if (b.hasRemaining()) {
        throw new BadBlobException(b.remaining() + " bytes after the last tensor");
      }
      return out;
    } catch (java.nio.BufferUnderflowException e) {
      throw new BadBlobException("truncated");
    }
  }

  static long size(long[] shape) {
    long s = 1;
    for (long d : shape) {
      if (d < 0 || d > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("bad dimension in " + Arrays.toString(shape));
      }
      s *= d;
    }
    return s;
  }

  /** A blob that is not a valid encoding of the expected model. */
  public static final class BadBlobException extends Exception {
    public BadBlobException(String message) {
      super(message);
    }
  }
}
