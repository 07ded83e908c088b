package io.prosima.testnet.sim;

import com.google.protobuf.ByteString;
import io.prosima.node.ledger.ConsensusReplica;
import io.prosima.node.ledger.GossipIntake;
import io.prosima.node.ledger.LedgerCore;
import io.prosima.node.ledger.TxAdmission;
import io.prosima.p2p.GossipRouter;
import io.prosima.p2p.SyncState;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.KeyFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.RocksMemEnv;

/**
 * One simulated validator instance (a Twins-style Byzantine validator has two). It runs the node's
 * own code: {@link ConsensusReplica} over a real {@link LedgerCore}, {@link TxAdmission} and
 * RocksDB ledger store (kept in memory by {@link #disk}), the overlay's {@link GossipRouter} and
 * block sync's {@link SyncState}. The disk survives a crash; everything else is rebuilt on restart,
 * as a restarted process would.
 */
final class SimNode {
  final int instance;
  final int validator;
  final KeyFile key;
  final ByzantineMode mode;

  /**
   * 0 for honest nodes and the first twin, 1 for the second twin: makes the twins' blocks differ.
   */
  final int twinTag;

  /** Timer speed relative to simulated time (clock skew). */
  final double clockRate;

  /** Wall clock offset from simulated time, in ms (within the ledger's allowed drift). */
  final long clockOffsetMs;

  /** The instances this node has overlay links to. */
  final List<Integer> neighbours = new ArrayList<>();

  /** The simulated disk. */
  final RocksMemEnv disk;

  /** Every block the checkers saw this node commit, in order (what it acknowledged). */
  final List<CommittedBlock> acknowledged = new ArrayList<>();

  // Volatile: lost on a crash.
  io.prosima.storage.LedgerStore store;
  LedgerCore core;
  TxAdmission admission;
  ConsensusReplica replica;
  GossipIntake intake;
  GossipRouter router;
  SyncState sync;
  final Map<ByteString, Long> peerHeights = new HashMap<>();
  int incarnation;
  boolean crashPending;

  /** False for a joining validator's node until its site starts it (issue 17). */
  boolean launched = true;

  /** How long the pending crash keeps the node down. */
  long downMs;

  /** The wake-up of the replica scheduled last (local nanos), to skip stale ones. */
  long wakeAtNanos = Long.MIN_VALUE;

  SimNode(
      int instance,
      int validator,
      KeyFile key,
      ByzantineMode mode,
      int twinTag,
      double clockRate,
      long clockOffsetMs) {
    this.instance = instance;
    this.validator = validator;
    this.key = key;
    this.mode = mode;
    this.twinTag = twinTag;
    this.clockRate = clockRate;
    this.clockOffsetMs = clockOffsetMs;
    this.disk = new RocksMemEnv(org.rocksdb.Env.getDefault());
  }

  // What the stores of earlier incarnations wrote (a restart opens a new store over the disk).
  private long storeBytesOfStopped;

  boolean honest() {
    return mode == ByzantineMode.HONEST;
  }

  /** Bytes this node's stores handed RocksDB to write, over every incarnation. */
  long storeBytesWritten() {
    return storeBytesOfStopped + (store == null ? 0 : store.bytesWritten());
  }

  boolean up() {
    return replica != null;
  }

  /** This node's id in other nodes' sync scores: per instance, as twins share a key. */
  static ByteString peerId(int instance) {
    return ByteString.copyFromUtf8("instance-" + instance);
  }

  /** The instance a {@link #peerId} names. */
  static int instanceOf(ByteString peerId) {
    return Integer.parseInt(peerId.toStringUtf8().substring("instance-".length()));
  }

  /** Committed height on disk; 0 while down. */
  long height() {
    return store == null ? acknowledged.size() : store.height();
  }

  /** Every committed block on disk, from height 1. */
  List<CommittedBlock> durableChain() {
    List<CommittedBlock> chain = new ArrayList<>();
    for (long h = 1; h <= store.height(); h++) {
      chain.add(store.block(h).orElseThrow());
    }
    return chain;
  }

  /** Closes what a crash loses; the disk stays. */
  void stop() {
    if (admission != null) {
      admission.close();
    }
    if (store != null) {
      storeBytesOfStopped += store.bytesWritten();
      store.close();
    }
    replica = null;
    intake = null;
    core = null;
    admission = null;
    store = null;
    router = null;
    sync = null;
    peerHeights.clear();
    wakeAtNanos = Long.MIN_VALUE;
  }

  /** Frees the disk at the end of a run. */
  void dispose() {
    stop();
    disk.close();
  }
}
