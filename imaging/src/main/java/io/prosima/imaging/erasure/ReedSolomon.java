package io.prosima.imaging.erasure;

import io.prosima.proto.wire.Sha256;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Systematic Reed–Solomon r-of-s erasure code over GF(2^8): a byte array becomes s fragments, and
 * any r of them rebuild it (Krawczyk's "secret sharing made short": the input is already
 * ciphertext; only the short data key is shared, by wrapping).
 *
 * <p>Written by hand: Maven Central has no maintained pure-Java RS library with an API for
 * arbitrary (r, s) and a stable fragment format (Backblaze's JavaReedSolomon is an unpublished
 * example; the Hadoop/ISA-L coders drag in Hadoop or native code).
 *
 * <p>The generator is the s×r Vandermonde matrix at points 0..s-1 times the inverse of its top r×r
 * block (see {@link Gf256Matrix#systematicGenerator}), so the first r fragments are the input split
 * in r equal shards (the last zero-padded) and any r rows are invertible.
 *
 * <p>Serialised fragment, version 1 ({@value #HEADER_BYTES}-byte header, then the shard):
 *
 * <pre>
 *   u8       format version (1)
 *   u8       index (0..s-1)
 *   u8       r
 *   u8       s
 *   u32      data length (bytes of the encoded input, big-endian)
 *   byte[32] SHA-256("prosima/fragment/v1" 0x00 ‖ the 8 bytes above ‖ shard)
 *   byte[k]  shard, k = ceil(dataLength / r)
 * </pre>
 *
 * The hash covers the header fields too, so a fragment whose index or parameters were altered is
 * rejected like one whose data was. Decoding treats every fragment that fails its hash, or does not
 * match this code's (r, s), as missing.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ReedSolomon {
  public static final int FORMAT_VERSION = 1;

  /** One byte holds s, and GF(2^8) has 255 non-zero points; s ≤ 255 keeps the header one byte. */
  public static final int FRAGMENTS_MAX = 255;

  /** Encrypted tiles are at most a few MiB; the cap bounds memory for hostile headers. */
  public static final int DATA_BYTES_MAX = 64 * 1024 * 1024;

  public static final int HEADER_BYTES = 8 + Sha256.BYTES;

  private static final byte[] HASH_TAG =
      "prosima/fragment/v1\0".getBytes(StandardCharsets.US_ASCII);

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final int r;
  private final int s;

  /** Rows r..s-1 of the generator: parity row p, data column j. */
  private final int[][] parity;

  private final int[][] generator;

  public ReedSolomon(int r, int s) {
    if (s < 1 || s > FRAGMENTS_MAX) {
      throw new IllegalArgumentException("s = " + s + " outside 1.." + FRAGMENTS_MAX);
    }
    if (r < 1 || r > s) {
      throw new IllegalArgumentException("r = " + r + " outside 1..s (s = " + s + ")");
    }
    this.r = r;
    this.s = s;
    this.generator = Gf256Matrix.systematicGenerator(r, s);
    this.parity = new int[s - r][];
    for (int p = r; p < s; p++) {
      parity[p - r] = generator[p];
    }
  }

  public int r() {
    return r;
  }

  public int s() {
    return s;
  }

  /** Shard bytes per fragment for an input of {@code dataLength} bytes. */
  public int shardBytes(int dataLength) {
    return (int) (((long) dataLength + r - 1) / r);
  }

  /** Total bytes of all s serialised fragments for an input of {@code dataLength} bytes. */
  public long storedBytes(int dataLength) {
    return (long) s * (HEADER_BYTES + shardBytes(dataLength));
  }

  /** Encodes {@code data} into s serialised fragments; element i is fragment i. */
  public byte[][] encode(byte[] data) {
    if (data.length > DATA_BYTES_MAX) {
      throw new IllegalArgumentException(
          "input is " + data.length + " bytes, max " + DATA_BYTES_MAX);
    }
    int k = shardBytes(data.length);
    byte[][] out = new byte[s][HEADER_BYTES + k];
    for (int i = 0; i < r; i++) {
      int from = Math.min(data.length, i * k);
      int n = Math.min(k, data.length - from);
      System.arraycopy(data, from, out[i], HEADER_BYTES, n);
    }
    for (int p = r; p < s; p++) {
      combine(parity[p - r], out, HEADER_BYTES, out[p], HEADER_BYTES, k);
    }
    MessageDigest md = Sha256.digest();
    for (int i = 0; i < s; i++) {
      writeHeader(out[i], i, data.length, md);
    }
    return out;
  }

  /**
   * Rebuilds the input from any r valid fragments of this code. Fragments that fail their hash,
   * belong to another (r, s), or repeat an index are ignored; if fragments disagree on the data
   * length, the largest consistent group is used.
   *
   * @throws InsufficientFragmentsException if fewer than r valid, consistent fragments remain
   */
  public byte[] decode(Collection<byte[]> fragments) throws InsufficientFragmentsException {
    // Group by data length (fragments of one encoding agree on it); hash lazily, data rows first,
    // so the common case (all data fragments present) hashes only r fragments.
    List<byte[]> sorted = new ArrayList<>();
    for (byte[] f : fragments) {
      if (f != null && f.length >= HEADER_BYTES) {
        sorted.add(f);
      }
    }
    sorted.sort((a, b) -> Integer.compare(a[1] & 0xff, b[1] & 0xff));
    Map<Integer, byte[][]> byLength = new HashMap<>();
    Map<Integer, Integer> counts = new HashMap<>();
    MessageDigest md = Sha256.digest();
    int invalid = 0;
    byte[][] chosen = null;
    int chosenLength = -1;
    for (byte[] f : sorted) {
      Optional<FragmentInfo> info = verify(f, md);
      if (info.isEmpty() || info.get().r() != r || info.get().s() != s) {
        invalid++;
        continue;
      }
      int len = info.get().dataLength();
      byte[][] slots = byLength.computeIfAbsent(len, l -> new byte[s][]);
      if (slots[info.get().index()] != null) {
        continue;
      }
      slots[info.get().index()] = f;
      int c = counts.merge(len, 1, Integer::sum);
      if (c == r) {
        chosen = slots;
        chosenLength = len;
        break;
      }
    }
    if (chosen == null) {
      int best = counts.values().stream().max(Integer::compare).orElse(0);
      throw new InsufficientFragmentsException(
          "need "
              + r
              + " valid fragments of a "
              + r
              + "-of-"
              + s
              + " code, have "
              + best
              + " ("
              + invalid
              + " corrupted or foreign, of "
              + fragments.size()
              + " offered)");
    }
    return rebuild(chosen, chosenLength);
  }

  /**
   * Checks one serialised fragment's format and hash.
   *
   * @return its header, or empty if it is malformed or corrupted
   */
  public static Optional<FragmentInfo> inspect(byte[] fragment) {
    return verify(fragment, Sha256.digest());
  }

  private static Optional<FragmentInfo> verify(byte[] f, MessageDigest md) {
    if (f == null || f.length < HEADER_BYTES || (f[0] & 0xff) != FORMAT_VERSION) {
      return Optional.empty();
    }
    int index = f[1] & 0xff;
    int r = f[2] & 0xff;
    int s = f[3] & 0xff;
    int len = ((f[4] & 0xff) << 24) | ((f[5] & 0xff) << 16) | ((f[6] & 0xff) << 8) | (f[7] & 0xff);
    if (r < 1 || r > s || index >= s || len < 0 || len > DATA_BYTES_MAX) {
      return Optional.empty();
    }
    long k = ((long) len + r - 1) / r;
    if (f.length != HEADER_BYTES + k) {
      return Optional.empty();
    }
    byte[] expected = hash(f, md);
    if (!MessageDigest.isEqual(expected, java.util.Arrays.copyOfRange(f, 8, HEADER_BYTES))) {
      return Optional.empty();
    }
    return Optional.of(new FragmentInfo(index, r, s, len));
  }

  private void writeHeader(byte[] f, int index, int dataLength, MessageDigest md) {
    f[0] = FORMAT_VERSION;
    f[1] = (byte) index;
    f[2] = (byte) r;
    f[3] = (byte) s;
    f[4] = (byte) (dataLength >>> 24);
    f[5] = (byte) (dataLength >>> 16);
    f[6] = (byte) (dataLength >>> 8);
    f[7] = (byte) dataLength;
    System.arraycopy(hash(f, md), 0, f, 8, Sha256.BYTES);
  }

  private static byte[] hash(byte[] f, MessageDigest md) {
    md.reset();
    md.update(HASH_TAG);
    md.update(f, 0, 8);
    md.update(f, HEADER_BYTES, f.length - HEADER_BYTES);
    return md.digest();
  }

  private byte[] rebuild(byte[][] slots, int dataLength) {
    int k = shardBytes(dataLength);
    byte[] out = new byte[dataLength];
    boolean allData = true;
    for (int i = 0; i < r; i++) {
      allData &= slots[i] != null;
    }
    byte[][] dataShards = new byte[r][];
    int[] dataOffsets = new int[r];
    if (allData) {
      for (int i = 0; i < r; i++) {
        dataShards[i] = slots[i];
        dataOffsets[i] = HEADER_BYTES;
      }
    } else {
      // Take the r present rows, invert that r×r block of the generator, and recompute only the
      // missing data rows: data = inverse · present shards.
      int[] rows = new int[r];
      byte[][] present = new byte[r][];
      int n = 0;
      for (int i = 0; i < s && n < r; i++) {
        if (slots[i] != null) {
          rows[n] = i;
          present[n] = slots[i];
          n++;
        }
      }
      int[][] sub = new int[r][];
      for (int i = 0; i < r; i++) {
        sub[i] = generator[rows[i]];
      }
      int[][] inverse = Gf256Matrix.invert(sub);
      for (int i = 0; i < r; i++) {
        if (slots[i] != null) {
          dataShards[i] = slots[i];
          dataOffsets[i] = HEADER_BYTES;
        } else {
          byte[] shard = new byte[k];
          combine(inverse[i], present, HEADER_BYTES, shard, 0, k);
          dataShards[i] = shard;
          dataOffsets[i] = 0;
        }
      }
    }
    for (int i = 0; i < r; i++) {
      int from = Math.min(dataLength, i * k);
      int n = Math.min(k, dataLength - from);
      System.arraycopy(dataShards[i], dataOffsets[i], out, from, n);
    }
    return out;
  }

  /**
   * out[outOff + b] = Σ_j coeffs[j] · in[j][inOff + b] for b in [0, k).
   *
   * <p>Eight bytes at a time: each input is read as one little-endian long, its eight bytes go
   * through the coefficient's 256-byte product table, and the products are packed back into a long,
   * so every output byte is written once instead of read-modified-written once per input. Java 17
   * has no portable byte shuffle (the Vector API is still incubating), and this is what moves the
   * loop from a load and a store per product to about one table load per product.
   */
  private static void combine(int[] coeffs, byte[][] in, int inOff, byte[] out, int outOff, int k) {
    int n = coeffs.length;
    byte[][] tables = new byte[n][];
    for (int j = 0; j < n; j++) {
      tables[j] = Gf256.MUL[coeffs[j]];
    }
    int b = 0;
    for (; b + Long.BYTES <= k; b += Long.BYTES) {
      long acc = 0;
      for (int j = 0; j < n; j++) {
        long v = (long) LONGS.get(in[j], inOff + b);
        byte[] t = tables[j];
        acc ^=
            (t[(int) v & 0xff] & 0xffL)
                | (t[(int) (v >>> 8) & 0xff] & 0xffL) << 8
                | (t[(int) (v >>> 16) & 0xff] & 0xffL) << 16
                | (t[(int) (v >>> 24) & 0xff] & 0xffL) << 24
                | (t[(int) (v >>> 32) & 0xff] & 0xffL) << 32
                | (t[(int) (v >>> 40) & 0xff] & 0xffL) << 40
                | (t[(int) (v >>> 48) & 0xff] & 0xffL) << 48
                | (t[(int) (v >>> 56) & 0xff] & 0xffL) << 56;
      }
      LONGS.set(out, outOff + b, acc);
    }
    for (; b < k; b++) {
      int acc = 0;
      for (int j = 0; j < n; j++) {
        acc ^= tables[j][in[j][inOff + b] & 0xff];
      }
      out[outOff + b] = (byte) acc;
    }
  }

  @Override
  public String toString() {
    return "ReedSolomon[" + r + "-of-" + s + "]";
  }
}
