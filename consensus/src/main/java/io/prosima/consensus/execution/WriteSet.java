package io.prosima.consensus.execution;

import java.util.Arrays;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The state writes of one block, sorted by key (unsigned byte order) so every node hashes and
 * persists them in the same order. A null value deletes the key.
 */
public final class WriteSet {
  private static final byte[] TOMBSTONE = new byte[0];
  private final TreeMap<byte[], byte[]> writes = new TreeMap<>(Arrays::compareUnsigned);

  void put(byte[] key, byte[] value) {
    writes.put(key.clone(), value.clone());
  }

  void delete(byte[] key) {
    writes.put(key.clone(), TOMBSTONE);
  }

  /** Null if the key is not written; {@link #isDeleted} tells a deletion apart. */
  byte[] get(byte[] key) {
    return writes.get(key);
  }

  boolean contains(byte[] key) {
    return writes.containsKey(key);
  }

  static boolean isDeleted(byte[] value) {
    return value == TOMBSTONE;
  }

  /** Key to value; a deleted key maps to null. */
  public SortedMap<byte[], byte[]> entries() {
    TreeMap<byte[], byte[]> out = new TreeMap<>(Arrays::compareUnsigned);
    writes.forEach((k, v) -> out.put(k, v == TOMBSTONE ? null : v));
    return Collections.unmodifiableSortedMap(out);
  }

  public int size() {
    return writes.size();
  }
}
