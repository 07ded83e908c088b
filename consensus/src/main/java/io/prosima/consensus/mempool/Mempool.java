package io.prosima.consensus.mempool;

import com.google.protobuf.ByteString;
import io.prosima.consensus.execution.Refusal;
import io.prosima.proto.v1.RefusalCode;
import io.prosima.proto.v1.Transaction;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Transactions admitted but not yet committed, in arrival order, bounded by count and bytes. Not
 * thread-safe: the node's driver owns it. Per signer, nonces must rise in arrival order, so a block
 * taken from the front never holds a signer's nonces out of order.
 */
public final class Mempool {
  private final int txsMax;
  private final long bytesMax;
  private final LinkedHashMap<ByteString, Entry> byHash = new LinkedHashMap<>();
  private final Map<ByteString, SignerPending> bySigner = new HashMap<>();
  private long bytes;

  /**
   * One pending transaction. {@code admittedAtNanos} is the caller's monotonic clock reading at
   * admission (time is an input here), used for commit-latency metrics.
   */
  public record Entry(Transaction tx, byte[] hash, int sizeBytes, long admittedAtNanos) {}

  private static final class SignerPending {
    long maxNonce;
    int count;
  }

  public Mempool(int txsMax, long bytesMax) {
    if (txsMax < 1 || bytesMax < 1) {
      throw new IllegalArgumentException("mempool limits must be positive");
    }
    this.txsMax = txsMax;
    this.bytesMax = bytesMax;
  }

  /**
   * Adds a transaction that passed the stateless and signature checks. {@code committedNonce} is
   * the signer's last nonce in committed state. Returns null when added, else the refusal.
   */
  public Refusal add(Transaction tx, byte[] hash, long committedNonce) {
    return add(tx, hash, committedNonce, 0);
  }

  /** As {@link #add(Transaction, byte[], long)}, recording the admission time. */
  public Refusal add(Transaction tx, byte[] hash, long committedNonce, long admittedAtNanos) {
    ByteString key = ByteString.copyFrom(hash);
    if (byHash.containsKey(key)) {
      return Refusal.of(RefusalCode.REFUSAL_DUPLICATE, "transaction is already pending");
    }
    SignerPending pending = bySigner.get(tx.getSigner());
    long floor = pending == null ? committedNonce : Math.max(committedNonce, pending.maxNonce);
    if (Long.compareUnsigned(tx.getNonce(), floor) <= 0) {
      return Refusal.of(
          RefusalCode.REFUSAL_NONCE_NOT_INCREASING,
          "nonce "
              + Long.toUnsignedString(tx.getNonce())
              + " is not above the signer's last used or pending nonce "
              + Long.toUnsignedString(floor));
    }
    int size = tx.getSerializedSize();
    if (byHash.size() >= txsMax || bytes + size > bytesMax) {
      return Refusal.of(
          RefusalCode.REFUSAL_MEMPOOL_FULL,
          "mempool is full (" + byHash.size() + " txs, " + bytes + " bytes); retry later");
    }
    byHash.put(key, new Entry(tx, hash, size, admittedAtNanos));
    bytes += size;
    if (pending == null) {
      pending = new SignerPending();
      bySigner.put(tx.getSigner(), pending);
    }
    pending.maxNonce = tx.getNonce();
    pending.count++;
    return null;
  }

  /** The oldest transactions, up to the given count and total bytes, without removing them. */
  public List<Entry> peek(int txsLimit, long bytesLimit) {
    List<Entry> out = new ArrayList<>(Math.min(txsLimit, byHash.size()));
    long total = 0;
    for (Entry e : byHash.values()) {
      if (out.size() >= txsLimit || total + e.sizeBytes() > bytesLimit) {
        break;
      }
      out.add(e);
      total += e.sizeBytes();
    }
    return out;
  }

  /** Removes the given transactions (committed or rejected). */
  public void remove(Collection<byte[]> hashes) {
    for (byte[] h : hashes) {
      Entry e = byHash.remove(ByteString.copyFrom(h));
      if (e != null) {
        forget(e);
      }
    }
  }

  /** Drops every transaction whose expiry height is below {@code height}; returns them. */
  public List<Entry> evictExpired(long height) {
    List<Entry> evicted = new ArrayList<>();
    Iterator<Entry> it = byHash.values().iterator();
    while (it.hasNext()) {
      Entry e = it.next();
      if (e.tx().getExpiryHeight() < height) {
        it.remove();
        forget(e);
        evicted.add(e);
      }
    }
    return evicted;
  }

  private void forget(Entry e) {
    bytes -= e.sizeBytes();
    SignerPending pending = bySigner.get(e.tx().getSigner());
    if (pending != null && --pending.count == 0) {
      bySigner.remove(e.tx().getSigner());
    }
  }

  /** The pending entry with this hash, or null. */
  public Entry get(byte[] hash) {
    return byHash.get(ByteString.copyFrom(hash));
  }

  public boolean contains(byte[] hash) {
    return byHash.containsKey(ByteString.copyFrom(hash));
  }

  public int size() {
    return byHash.size();
  }

  public long bytes() {
    return bytes;
  }
}
