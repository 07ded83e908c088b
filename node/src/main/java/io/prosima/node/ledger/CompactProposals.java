package io.prosima.node.ledger;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.CompactProposal;
import io.prosima.proto.v1.ConsensusMessage;
import io.prosima.proto.v1.GossipBody;
import io.prosima.proto.v1.Proposal;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.wire.BlockMemo;
import io.prosima.proto.wire.TxCodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Proposals travel compact: the block names its transactions by hash, because every mempool already
 * holds them through gossip (DESIGN.md, Consensus). A receiver rebuilds the full proposal from its
 * mempool, and asks its neighbours for the transactions it lacks; until they come the compact
 * proposal waits here (bounded). The proposal's signature is over the full proposal, so a rebuilt
 * one verifies only if every transaction is the proposer's, byte for byte: nothing here needs to be
 * trusted. Thread-safe; the node and the simulator both use it.
 */
public final class CompactProposals {
  /** Compact proposals waiting for fetched transactions, at most (oldest dropped). */
  static final int PENDING_MAX = 16;

  /** A waiting proposal is dropped after this long: the proposer re-sends, the round moves on. */
  static final long PENDING_EXPIRY_NANOS = 10_000_000_000L;

  /**
   * A waiting proposal asks its neighbours again for what is still missing after this long: a fetch
   * or its answer can be dropped by a neighbour over its bounds, and the round's votes wait.
   */
  static final long REFETCH_AFTER_NANOS = 1_000_000_000L;

  /** Transactions of recently rebuilt proposals kept to answer neighbours' fetches. */
  static final int REBUILT_KEPT = 4;

  /** What became of a compact proposal. */
  public record Received(ConsensusMessage full, List<ByteString> missing, String problem) {}

  /** A proposal completed by fetched transactions, with the compact body to pass on. */
  public record Completed(ConsensusMessage full, GossipBody compact) {}

  private static final class Pending {
    final CompactProposal compact;
    final long sinceNanos;
    long askedNanos;
    final Map<ByteString, Transaction> fetched = new HashMap<>();

    Pending(CompactProposal compact, long sinceNanos) {
      this.compact = compact;
      this.sinceNanos = sinceNanos;
      this.askedNanos = sinceNanos;
    }
  }

  private final Function<ByteString, Transaction> mempool;
  private final int txsMax;
  // Keyed by the compact body's bytes, not the proposal's signature: a neighbour could send a
  // copy whose hash list differs under the same signature, and it must not shadow the genuine one.
  private final LinkedHashMap<ByteString, Pending> pending = new LinkedHashMap<>();
  private final ArrayDeque<Map<ByteString, Transaction>> rebuilt = new ArrayDeque<>();

  /**
   * @param mempool a pending transaction by hash, or null
   * @param txsMax the genesis limit of transactions per block
   */
  public CompactProposals(Function<ByteString, Transaction> mempool, int txsMax) {
    this.mempool = mempool;
    this.txsMax = txsMax;
  }

  /** The wire form of a consensus message: a proposal becomes compact, a vote stays as it is. */
  public static GossipBody wire(ConsensusMessage m) {
    if (!m.hasProposal()) {
      return GossipBody.newBuilder().setConsensus(m).build();
    }
    Proposal p = m.getProposal();
    CompactProposal.Builder c = CompactProposal.newBuilder();
    for (byte[] hash : BlockMemo.txHashes(p.getBlock())) {
      c.addTxHashes(ByteString.copyFrom(hash));
    }
    c.setProposal(p.toBuilder().setBlock(p.getBlock().toBuilder().clearTxs()));
    return GossipBody.newBuilder().setCompactProposal(c).build();
  }

  /**
   * A compact proposal from {@code neighbour}: the full proposal if the mempool (or a recent fetch)
   * holds every transaction; otherwise the hashes to fetch from the neighbours, and it waits here;
   * or why it is malformed.
   */
  public synchronized Received receive(CompactProposal c, ByteString neighbour, long nowNanos) {
    String problem = malformed(c);
    if (problem != null) {
      return new Received(null, List.of(), problem);
    }
    expire(nowNanos);
    ByteString key = c.toByteString();
    Pending p = pending.get(key);
    if (p == null) {
      p = new Pending(c, nowNanos);
    }
    List<ByteString> missing = new ArrayList<>();
    ConsensusMessage full = rebuild(p, missing);
    if (full != null) {
      pending.remove(key);
      return new Received(full, List.of(), null);
    }
    if (!pending.containsKey(key)) {
      pending.put(key, p);
      if (pending.size() > PENDING_MAX) {
        Iterator<ByteString> oldest = pending.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
    }
    return new Received(null, missing, null);
  }

  /**
   * Transactions a neighbour sent for our fetch: the proposals they complete. Any neighbour's
   * answer counts (a transaction is taken only under its own hash).
   */
  public synchronized List<Completed> fetched(
      ByteString neighbour, List<Transaction> txs, long nowNanos) {
    expire(nowNanos);
    List<Completed> done = new ArrayList<>();
    if (txs.isEmpty() || pending.isEmpty()) {
      return done; // most answers now fill mempools after announcements: nothing to hash here
    }
    Map<ByteString, Transaction> byHash = new HashMap<>();
    for (Transaction tx : txs) {
      byHash.put(ByteString.copyFrom(TxCodec.hash(tx)), tx);
    }
    Iterator<Pending> it = pending.values().iterator();
    while (it.hasNext()) {
      Pending p = it.next();
      for (ByteString h : p.compact.getTxHashesList()) {
        Transaction tx = byHash.get(h);
        if (tx != null) {
          p.fetched.put(h, tx);
        }
      }
      ConsensusMessage full = rebuild(p, new ArrayList<>());
      if (full != null) {
        it.remove();
        done.add(
            new Completed(full, GossipBody.newBuilder().setCompactProposal(p.compact).build()));
      }
    }
    return done;
  }

  /**
   * The transactions still missing from proposals for {@code nextHeight} that asked for them at
   * least {@link #REFETCH_AFTER_NANOS} ago (each hash once), to be asked for again; they count as
   * asked now. Proposals for a height already committed are dropped: their transactions are in the
   * chain or gone, and asking for them again would only load the neighbours.
   */
  public synchronized List<ByteString> toFetchAgain(long nowNanos, long nextHeight) {
    expire(nowNanos);
    pending.values().removeIf(p -> p.compact.getProposal().getHeight() < nextHeight);
    java.util.LinkedHashSet<ByteString> again = new java.util.LinkedHashSet<>();
    for (Pending p : pending.values()) {
      if (p.compact.getProposal().getHeight() != nextHeight
          || nowNanos - p.askedNanos < REFETCH_AFTER_NANOS) {
        continue;
      }
      p.askedNanos = nowNanos;
      for (ByteString h : p.compact.getTxHashesList()) {
        if (!p.fetched.containsKey(h) && mempool.apply(h) == null && recentLocked(h) == null) {
          again.add(h);
        }
      }
    }
    return new ArrayList<>(again);
  }

  /** A transaction of a recently rebuilt proposal, for a neighbour's fetch; or null. */
  public synchronized Transaction recent(ByteString hash) {
    for (Map<ByteString, Transaction> txs : rebuilt) {
      Transaction tx = txs.get(hash);
      if (tx != null) {
        return tx;
      }
    }
    return null;
  }

  /**
   * Whether a compact proposal for (height, round) signed as {@code proposer}'s waits for fetched
   * transactions. Its signature cannot be checked before it is whole, so a neighbour could fake
   * one: the caller must bound what it grants on this (one extension per round).
   */
  public synchronized boolean waitingFor(long height, int round, ByteString proposer) {
    for (Pending p : pending.values()) {
      Proposal q = p.compact.getProposal();
      if (q.getHeight() == height && q.getRound() == round && q.getProposer().equals(proposer)) {
        return true;
      }
    }
    return false;
  }

  synchronized int pendingCount() {
    return pending.size();
  }

  private String malformed(CompactProposal c) {
    if (!c.hasProposal() || !c.getProposal().hasBlock()) {
      return "compact proposal without a block";
    }
    Block b = c.getProposal().getBlock();
    if (b.getTxsCount() != 0) {
      return "compact proposal carries transactions";
    }
    if (c.getTxHashesCount() > txsMax || c.getTxHashesCount() != b.getHeader().getTxCount()) {
      return "compact proposal names "
          + c.getTxHashesCount()
          + " transactions for a header of "
          + b.getHeader().getTxCount();
    }
    for (ByteString h : c.getTxHashesList()) {
      if (h.size() != 32) {
        return "compact proposal with a malformed transaction hash";
      }
    }
    return null;
  }

  /** The full proposal, or null with {@code missing} filled. */
  private ConsensusMessage rebuild(Pending p, List<ByteString> missing) {
    List<Transaction> txs = new ArrayList<>(p.compact.getTxHashesCount());
    Map<ByteString, Transaction> used = new HashMap<>();
    for (ByteString h : p.compact.getTxHashesList()) {
      Transaction tx = p.fetched.get(h);
      if (tx == null) {
        tx = mempool.apply(h);
      }
      if (tx == null) {
        tx = recentLocked(h);
      }
      if (tx == null) {
        missing.add(h);
      } else {
        txs.add(tx);
        used.put(h, tx);
      }
    }
    if (!missing.isEmpty()) {
      return null;
    }
    rebuilt.addFirst(used);
    while (rebuilt.size() > REBUILT_KEPT) {
      rebuilt.removeLast();
    }
    Proposal compact = p.compact.getProposal();
    Proposal full =
        compact.toBuilder().setBlock(compact.getBlock().toBuilder().addAllTxs(txs)).build();
    // Each transaction was found under its hash in a map keyed by hashes this node computed
    // itself (mempool, fetched, recent), so the list is the block's true hashes: validation need
    // not hash the block again.
    List<byte[]> hashes = new ArrayList<>(txs.size());
    for (ByteString h : p.compact.getTxHashesList()) {
      hashes.add(h.toByteArray());
    }
    BlockMemo.rememberTxHashes(full.getBlock(), hashes);
    return ConsensusMessage.newBuilder().setProposal(full).build();
  }

  private Transaction recentLocked(ByteString hash) {
    for (Map<ByteString, Transaction> txs : rebuilt) {
      Transaction tx = txs.get(hash);
      if (tx != null) {
        return tx;
      }
    }
    return null;
  }

  private void expire(long nowNanos) {
    pending.values().removeIf(p -> nowNanos - p.sinceNanos > PENDING_EXPIRY_NANOS);
  }
}
