package io.prosima.proto.wire;

import io.prosima.proto.v1.Block;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/**
 * What a node computes about one block object again and again, computed once: the SHA-256 of its
 * canonical bytes (its identity within a round, and what a proposal's signature covers) and its
 * transactions' hashes. Serialising a block of thousands of 2 KB transactions costs tens of
 * milliseconds, and a proposal used to be serialised five times on its way through one node.
 *
 * <p>Entries are keyed by object identity (messages are immutable, so a value never goes stale) and
 * hold the block only weakly; the last {@link #KEPT} blocks are remembered. Every value is a pure
 * function of the block, so a memo hit and a miss give the same answer.
 */
public final class BlockMemo {
  /** Blocks remembered: a few rounds of a few validators (the simulator runs them in one JVM). */
  static final int KEPT = 64;

  private static final class Entry {
    final WeakReference<Block> block;
    byte[] digest;
    List<byte[]> txHashes;

    Entry(Block block) {
      this.block = new WeakReference<>(block);
    }
  }

  private static final ArrayDeque<Entry> entries = new ArrayDeque<>();

  private BlockMemo() {}

  /** SHA-256 of the block's canonical bytes. */
  public static byte[] digest(Block block) {
    synchronized (BlockMemo.class) {
      Entry e = find(block);
      if (e != null && e.digest != null) {
        return e.digest;
      }
    }
    byte[] digest = Canonical.sha256(block);
    synchronized (BlockMemo.class) {
      entryOf(block).digest = digest;
    }
    return digest;
  }

  /** The hashes of the block's transactions, in block order (do not modify the arrays). */
  public static List<byte[]> txHashes(Block block) {
    List<byte[]> known = knownTxHashes(block);
    if (known != null) {
      return known;
    }
    List<byte[]> hashes = List.copyOf(BlockCodec.txHashes(block.getTxsList()));
    rememberTxHashes(block, hashes);
    return hashes;
  }

  /** The transaction hashes if already known for this very block object, else null. */
  public static synchronized List<byte[]> knownTxHashes(Block block) {
    Entry e = find(block);
    return e == null ? null : e.txHashes;
  }

  /**
   * Records hashes the caller computed itself for this block's transactions (the proposer, from its
   * mempool; a node that rebuilt a compact proposal, from the hashes it looked up locally). Never
   * call this with hashes taken from the network.
   */
  public static void rememberTxHashes(Block block, List<byte[]> hashes) {
    if (hashes.size() != block.getTxsCount()) {
      throw new IllegalArgumentException("one hash per transaction");
    }
    List<byte[]> copy = List.copyOf(hashes);
    synchronized (BlockMemo.class) {
      entryOf(block).txHashes = copy;
    }
  }

  private static Entry find(Block block) {
    Iterator<Entry> it = entries.iterator();
    while (it.hasNext()) {
      Entry e = it.next();
      Block b = e.block.get();
      if (b == null) {
        it.remove();
      } else if (b == block) {
        return e;
      }
    }
    return null;
  }

  private static Entry entryOf(Block block) {
    Entry e = find(block);
    if (e == null) {
      e = new Entry(block);
      entries.addFirst(e);
      while (entries.size() > KEPT) {
        entries.removeLast();
      }
    }
    return e;
  }
}
