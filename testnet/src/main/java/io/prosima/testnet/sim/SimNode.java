package io.prosima.testnet.sim;

import com.google.protobuf.ByteString;
import io.prosima.consensus.bft.BftCore;
import io.prosima.consensus.bft.SignedVoteRecord;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.Transaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One simulated validator instance (a Byzantine validator has two, its twins). The fields marked
 * durable survive a crash, as the block store and the WAL would; everything else is lost.
 */
final class SimNode {
  final int instance;
  final int validator;
  final byte[] privateKey;
  final ByteString publicKey;
  final boolean honest;

  /**
   * 0 for honest nodes and the first twin, 1 for the second twin: makes the twins' blocks differ.
   */
  final int twinTag;

  /** The instances this node sends to. */
  final List<Integer> audience = new ArrayList<>();

  /** Timer speed relative to simulated time (clock skew). */
  final double clockRate;

  // Durable.
  final List<CommittedBlock> chain = new ArrayList<>();
  SignedVoteRecord record = SignedVoteRecord.EMPTY;

  /** Height of every transaction in {@link #chain}, by tx hash: an index rebuilt from the chain. */
  final Map<ByteString, Long> chainTxs = new HashMap<>();

  // Volatile.
  /** Transactions received and not yet committed, in arrival order (lost on a crash). */
  final LinkedHashMap<ByteString, Transaction> mempool = new LinkedHashMap<>();

  BftCore core;
  int incarnation;
  boolean crashPending;

  /** How long the pending crash keeps the node down. */
  long downMs;

  /** Per peer: the height and time of the last catch-up block sent to it. */
  final Map<Integer, long[]> lastSyncSent = new HashMap<>();

  SimNode(
      int instance,
      int validator,
      byte[] privateKey,
      ByteString publicKey,
      boolean honest,
      int twinTag,
      double clockRate) {
    this.instance = instance;
    this.validator = validator;
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.honest = honest;
    this.twinTag = twinTag;
    this.clockRate = clockRate;
  }

  boolean up() {
    return core != null;
  }

  long height() {
    return chain.size();
  }

  /** Appends a committed block: indexes its transactions and drops them from the mempool. */
  void append(CommittedBlock cb, TxCache txCache) {
    chain.add(cb);
    for (Transaction tx : cb.getBlock().getTxsList()) {
      ByteString hash = txCache.hash(tx);
      chainTxs.put(hash, (long) chain.size());
      mempool.remove(hash);
    }
  }

  /** Rebuilds the transaction index from the durable chain, as a restarting node would. */
  void reindex(TxCache txCache) {
    chainTxs.clear();
    for (int i = 0; i < chain.size(); i++) {
      for (Transaction tx : chain.get(i).getBlock().getTxsList()) {
        chainTxs.put(txCache.hash(tx), (long) i + 1);
      }
    }
  }
}
