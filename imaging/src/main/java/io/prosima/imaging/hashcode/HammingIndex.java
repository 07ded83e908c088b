package io.prosima.imaging.hashcode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * k-nearest-neighbour search over 128-bit codes by Hamming distance with multi-index hashing
 * (Norouzi, Punjani, Fleet, "Fast search in Hamming space with multi-index hashing", CVPR 2012):
 * the code is cut into {@link #TABLES} substrings of 16 bits, each indexed in an exact-match table.
 * A code at distance d from the query has, by the pigeonhole principle, some substring within
 * floor(d / TABLES) of the query's; so probing every table at substring radius 0..s finds every
 * code within TABLES * (s + 1) - 1, and the search stops once k codes that close are in hand. When
 * the probes would cost more than a scan, it scans. Results are exact either way; ties are broken
 * by insertion order. Items are numbered 0, 1, ... in insertion order. Not thread-safe: callers
 * synchronise.
 */
public final class HammingIndex {
  public static final int BITS = 128;
  public static final int TABLES = 8;
  static final int SUB_BITS = BITS / TABLES;
  static final int BUCKETS = 1 << SUB_BITS;

  /**
   * What one table probe costs against one code checked by a scan (a lookup, a bucket walk and a
   * seen check against an XOR and two popcounts); the search scans once probing would cost more.
   */
  static final int PROBE_COST = 4;

  /** A match: the item's number and its distance. */
  public record Match(int item, int distance) {}

  private long[] hi = new long[1024];
  private long[] lo = new long[1024];
  private int size;
  // tables[t][bucket] = items whose substring t equals bucket; counts[t][bucket] = how many.
  private final int[][][] tables = new int[TABLES][BUCKETS][];
  private final int[][] counts = new int[TABLES][BUCKETS];
  // seenAt[item] == generation: the item was checked by the current search (no per-search array).
  private int[] seenAt = new int[1024];
  private int generation;

  public int size() {
    return size;
  }

  /** The code of an item. */
  public byte[] code(int item) {
    byte[] out = new byte[BITS / 8];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (hi[item] >>> (56 - 8 * i));
      out[8 + i] = (byte) (lo[item] >>> (56 - 8 * i));
    }
    return out;
  }

  /** Adds a 16-byte code; returns its item number. */
  public int add(byte[] code) {
    checkCode(code);
    if (size == hi.length) {
      hi = Arrays.copyOf(hi, size * 2);
      lo = Arrays.copyOf(lo, size * 2);
      seenAt = Arrays.copyOf(seenAt, size * 2);
    }
    int item = size++;
    hi[item] = word(code, 0);
    lo[item] = word(code, 8);
    for (int t = 0; t < TABLES; t++) {
      int key = substring(hi[item], lo[item], t);
      int[] bucket = tables[t][key];
      int c = counts[t][key];
      if (bucket == null) {
        bucket = new int[2];
      } else if (c == bucket.length) {
        bucket = Arrays.copyOf(bucket, c * 2);
      }
      bucket[c] = item;
      tables[t][key] = bucket;
      counts[t][key] = c + 1;
    }
    return item;
  }

  static void checkCode(byte[] code) {
    if (code == null || code.length != BITS / 8) {
      throw new IllegalArgumentException("a code must be " + BITS / 8 + " bytes");
    }
  }

  private static long word(byte[] code, int offset) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (code[offset + i] & 0xFF);
    }
    return v;
  }

  /** Substring t (t = 0 is the first 16 bits of the code). */
  private static int substring(long hi, long lo, int t) {
    long w = t < TABLES / 2 ? hi : lo;
    int shift = 64 - SUB_BITS * (t % (TABLES / 2) + 1);
    return (int) ((w >>> shift) & (BUCKETS - 1));
  }

  /** The k nearest items (that {@code visible} accepts), nearest first, exact. */
  public List<Match> search(byte[] code, int k, IntPredicate visible) {
    checkCode(code);
    if (k < 1) {
      throw new IllegalArgumentException("k must be positive");
    }
    long qh = word(code, 0);
    long ql = word(code, 8);
    // Best k so far, sorted by (distance, item).
    TopK best = new TopK(k);
    if (++generation == 0) {
      Arrays.fill(seenAt, 0);
      generation = 1;
    }
    int[] seen = seenAt;
    int gen = generation;
    long probesPerRadius = 1;
    long probesDone = 0;
    for (int s = 0; s <= SUB_BITS; s++) {
      if (s > 0) {
        probesPerRadius = probesPerRadius * (SUB_BITS - s + 1) / s;
      }
      // A scan costs about `size` distance checks; probing this radius costs probesPerRadius
      // lookups per table. Switch to the scan when probing would cost more.
      if ((probesDone + probesPerRadius * TABLES) * PROBE_COST > size) {
        return scan(qh, ql, k, visible);
      }
      probesDone += probesPerRadius * TABLES;
      for (int t = 0; t < TABLES; t++) {
        int q = substring(qh, ql, t);
        final int table = t;
        forEachAtRadius(
            q,
            s,
            key -> {
              int[] bucket = tables[table][key];
              int c = counts[table][key];
              for (int i = 0; i < c; i++) {
                int item = bucket[i];
                if (seen[item] == gen) {
                  continue;
                }
                seen[item] = gen;
                if (visible.test(item)) {
                  best.offer(item, distance(qh, ql, item));
                }
              }
            });
      }
      // Every item within TABLES * (s + 1) - 1 has been seen.
      if (best.full() && best.worst() <= TABLES * (s + 1) - 1) {
        return best.sorted();
      }
    }
    return best.sorted();
  }

  private List<Match> scan(long qh, long ql, int k, IntPredicate visible) {
    TopK best = new TopK(k);
    for (int item = 0; item < size; item++) {
      int d = distance(qh, ql, item);
      if ((!best.full() || d < best.worst()) && visible.test(item)) {
        best.offer(item, d);
      }
    }
    return best.sorted();
  }

  private int distance(long qh, long ql, int item) {
    return Long.bitCount(qh ^ hi[item]) + Long.bitCount(ql ^ lo[item]);
  }

  /** Every 16-bit key at Hamming distance exactly r from q. */
  private static void forEachAtRadius(int q, int r, java.util.function.IntConsumer action) {
    if (r == 0) {
      action.accept(q);
      return;
    }
    int[] pos = new int[r];
    for (int i = 0; i < r; i++) {
      pos[i] = i;
    }
    while (true) {
      int mask = 0;
      for (int p : pos) {
        mask |= 1 << p;
      }
      action.accept(q ^ mask);
      int i = r - 1;
      while (i >= 0 && pos[i] == SUB_BITS - r + i) {
        i--;
      }
      if (i < 0) {
        return;
      }
      pos[i]++;
      for (int j = i + 1; j < r; j++) {
        pos[j] = pos[j - 1] + 1;
      }
    }
  }

  /** Brute-force k nearest (for tests and the benchmark's check). */
  public List<Match> scanAll(byte[] code, int k) {
    checkCode(code);
    return scan(word(code, 0), word(code, 8), k, i -> true);
  }

  /** The k smallest (distance, item) pairs seen. */
  private static final class TopK {
    private final int k;
    private final List<Match> items = new ArrayList<>();

    TopK(int k) {
      this.k = k;
    }

    boolean full() {
      return items.size() == k;
    }

    int worst() {
      return items.get(items.size() - 1).distance();
    }

    void offer(int item, int distance) {
      if (full()) {
        Match last = items.get(items.size() - 1);
        if (distance > last.distance() || (distance == last.distance() && item > last.item())) {
          return;
        }
        items.remove(items.size() - 1);
      }
      int at = items.size();
      while (at > 0) {
        Match m = items.get(at - 1);
        if (m.distance() < distance || (m.distance() == distance && m.item() < item)) {
          break;
        }
        at--;
      }
      items.add(at, new Match(item, distance));
    }

    List<Match> sorted() {
      return List.copyOf(items);
    }
  }
}
