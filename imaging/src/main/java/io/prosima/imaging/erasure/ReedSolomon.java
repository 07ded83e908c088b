package io.prosima.imaging.erasure;

import io.prosima.proto.wire.Sha256;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>Parity is computed in bit-matrix form (Blömer et al. 1995; Plank's Jerasure): each shard is
 * cut into eight equal packets, packet b holding bit b of every GF(2^8) symbol, and each
 * coefficient becomes an 8×8 matrix over GF(2), so coding is XOR of whole packets, 64 bytes per
 * step, instead of one table lookup per byte (see {@link #bitSources}). That is why shards are
 * padded to a multiple of 8 bytes.
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
 *   byte[k]  shard, k = ceil(dataLength / r) rounded up to a multiple of 8
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

  /** s is one header byte; the Vandermonde points 0..s-1 must be distinct elements of GF(2^8). */
  public static final int FRAGMENTS_MAX = 255;

  /** Encrypted tiles are at most a few MiB; the cap bounds memory for hostile headers. */
  public static final int DATA_BYTES_MAX = 64 * 1024 * 1024;

  public static final int HEADER_BYTES = 8 + Sha256.BYTES;

  /**
   * A caller gathers at most one fragment per node and retries; more than this many offered at once
   * is a caller bug, and the cap bounds the hashing one decode can be made to do.
   */
  public static final int OFFERED_FRAGMENTS_MAX = 4 * FRAGMENTS_MAX;

  private static final byte[] HASH_TAG =
      "prosima/fragment/v1\0".getBytes(StandardCharsets.US_ASCII);

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Bit-planes per shard: one per bit of a GF(2^8) symbol. */
  static final int BIT_PLANES = 8;

  /** Bytes of a packet the XOR loop keeps in registers at once (eight longs). */
  private static final int BLOCK_BYTES = 8 * Long.BYTES;

  private final int r;
  private final int s;

  /** For parity row p and output bit-plane a: the (input j, input plane b) pairs, as 8j + b. */
  private final int[][][] paritySources;

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
    this.paritySources = new int[s - r][][];
    for (int p = r; p < s; p++) {
      paritySources[p - r] = bitSources(generator[p]);
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
    return shardBytes(dataLength, r);
  }

  /** ceil(dataLength / r) rounded up to whole bit-planes: eight packets of equal length. */
  static int shardBytes(long dataLength, int r) {
    long k = (dataLength + r - 1) / r;
    return (int) ((k + BIT_PLANES - 1) / BIT_PLANES * BIT_PLANES);
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
      combine(paritySources[p - r], out, HEADER_BYTES, out[p], HEADER_BYTES, k);
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
    if (fragments.size() > OFFERED_FRAGMENTS_MAX) {
      throw new IllegalArgumentException(
          fragments.size() + " fragments offered, max " + OFFERED_FRAGMENTS_MAX);
    }
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
    long k = shardBytes(len, r);
    if (f.length != HEADER_BYTES + k) {
      return Optional.empty();
    }
    byte[] expected = hash(f, md);
    if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(f, 8, HEADER_BYTES))) {
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
          combine(bitSources(inverse[i]), present, HEADER_BYTES, shard, 0, k);
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
   * The XOR schedule of one coefficient row in bit-matrix form. Multiplication by c is linear over
   * GF(2): output bit a of c·x is the XOR of the input bits b where bit a of c·2^b is set. With
   * every shard cut into eight equal packets ("bit-planes", packet b carrying bit b of each
   * symbol), a row Σ_j c_j·x_j becomes, for each output plane a, the XOR of whole input packets (j,
   * b) — no table lookups at all. Because c ↦ its 8×8 bit matrix is an injective ring homomorphism,
   * the inverse of a generator sub-matrix works unchanged in this form. The identity coefficient
   * maps plane b to plane b, so the data fragments stay the raw input.
   */
  static int[][] bitSources(int[] coeffs) {
    int[][] sources = new int[BIT_PLANES][];
    for (int a = 0; a < BIT_PLANES; a++) {
      int[] buf = new int[coeffs.length * BIT_PLANES];
      int n = 0;
      for (int j = 0; j < coeffs.length; j++) {
        for (int b = 0; b < BIT_PLANES; b++) {
          if ((Gf256.mul(coeffs[j], 1 << b) >>> a & 1) != 0) {
            buf[n++] = j * BIT_PLANES + b;
          }
        }
      }
      sources[a] = Arrays.copyOf(buf, n);
    }
    return sources;
  }

  /**
   * out = Σ_j c_j · in[j] over shards of k bytes (k a multiple of 8), given the row's XOR schedule
   * from {@link #bitSources}. Each output packet is built 64 bytes at a time in eight long
   * accumulators, so the per-source bookkeeping (which array, which offset, one bounds check) is
   * paid once per 64 bytes, and every output byte is written once.
   */
  private static void combine(
      int[][] sources, byte[][] in, int inOff, byte[] out, int outOff, int k) {
    int packet = k / BIT_PLANES;
    int blockEnd = packet - packet % BLOCK_BYTES;
    int wordEnd = packet - packet % Long.BYTES;
    for (int a = 0; a < BIT_PLANES; a++) {
      int[] src = sources[a];
      int n = src.length;
      byte[][] arrays = new byte[n][];
      int[] offsets = new int[n];
      for (int q = 0; q < n; q++) {
        arrays[q] = in[src[q] / BIT_PLANES];
        offsets[q] = inOff + (src[q] % BIT_PLANES) * packet;
      }
      int dst = outOff + a * packet;
      int w = 0;
      for (; w < blockEnd; w += BLOCK_BYTES) {
        long x0 = 0;
        long x1 = 0;
        long x2 = 0;
        long x3 = 0;
        long x4 = 0;
        long x5 = 0;
        long x6 = 0;
        long x7 = 0;
        for (int q = 0; q < n; q++) {
          byte[] b = arrays[q];
          int o = offsets[q] + w;
          x0 ^= (long) LONGS.get(b, o);
          x1 ^= (long) LONGS.get(b, o + 8);
          x2 ^= (long) LONGS.get(b, o + 16);
          x3 ^= (long) LONGS.get(b, o + 24);
          x4 ^= (long) LONGS.get(b, o + 32);
          x5 ^= (long) LONGS.get(b, o + 40);
          x6 ^= (long) LONGS.get(b, o + 48);
          x7 ^= (long) LONGS.get(b, o + 56);
        }
        int d = dst + w;
        LONGS.set(out, d, x0);
        LONGS.set(out, d + 8, x1);
        LONGS.set(out, d + 16, x2);
        LONGS.set(out, d + 24, x3);
        LONGS.set(out, d + 32, x4);
        LONGS.set(out, d + 40, x5);
        LONGS.set(out, d + 48, x6);
        LONGS.set(out, d + 56, x7);
      }
      for (; w < wordEnd; w += Long.BYTES) {
        long x = 0;
        for (int q = 0; q < n; q++) {
          x ^= (long) LONGS.get(arrays[q], offsets[q] + w);
        }
        LONGS.set(out, dst + w, x);
      }
      for (; w < packet; w++) {
        int x = 0;
        for (int q = 0; q < n; q++) {
          x ^= arrays[q][offsets[q] + w];
        }
        out[dst + w] = (byte) x;
      }
    }
  }

  @Override
  public String toString() {
    return "ReedSolomon[" + r + "-of-" + s + "]";
  }
}
