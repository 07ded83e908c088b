package io.prosima.node.ledger;

import com.google.protobuf.ByteString;
import io.prosima.consensus.execution.BlockExecutor;
import io.prosima.consensus.execution.Refusal;
import io.prosima.consensus.mempool.Mempool;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.BlockHeader;
import io.prosima.proto.v1.CommitCertificate;
import io.prosima.proto.v1.CommitSignature;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.RefusalCode;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.Ed25519Keys;
import io.prosima.proto.wire.MerkleTree;
import io.prosima.storage.StorageException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single-validator block production: the only validator proposes, executes, signs its own precommit
 * and commits. Used only while the chain has exactly one validator; the BFT engine (consensus
 * issue) replaces it rather than running beside it.
 */
public final class SoloBlockProducer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SoloBlockProducer.class);

  /** Room kept in a block for its header and commit certificate. */
  static final long HEADER_BYTES_RESERVE = 64 << 10;

  private final LedgerCore core;
  private final KeyFile key;
  private final Clock clock;
  private final Thread thread;
  private volatile boolean running = true;
  // The last committed header and certificate, so a new block needs no read of the previous one.
  private BlockHeader lastHeader;
  private CommitCertificate lastCommit;

  public SoloBlockProducer(LedgerCore core, KeyFile key, Clock clock) {
    if (core.genesis.getValidatorsCount() != 1) {
      throw new IllegalArgumentException(
          "this chain has "
              + core.genesis.getValidatorsCount()
              + " validators; multi-validator chains need the BFT engine, which is not built yet");
    }
    if (!core.genesis.getValidators(0).getPublicKey().equals(key.getEd25519PublicKey())) {
      throw new IllegalArgumentException("node key is not the chain's validator key");
    }
    long blockBytes = core.genesis.getConsensus().getBlockBytesMax();
    if (blockBytes <= HEADER_BYTES_RESERVE + core.genesis.getConsensus().getTxBytesMax()) {
      throw new IllegalArgumentException(
          "block_bytes_max must exceed tx_bytes_max + " + HEADER_BYTES_RESERVE);
    }
    this.core = core;
    this.key = key;
    this.clock = clock;
    this.thread = new Thread(this::loop, "solo-block-producer");
    core.store
        .block(core.store.height())
        .ifPresent(
            last -> {
              lastHeader = last.getBlock().getHeader();
              lastCommit = last.getCommit();
            });
  }

  public void start() {
    thread.start();
  }

  private void loop() {
    long intervalMs = core.genesis.getConsensus().getBlockIntervalMs();
    while (running) {
      boolean full;
      try {
        full = produceOnce();
      } catch (StorageException e) {
        // A failed durable write leaves the node unable to promise anything: stop producing.
        log.error("block commit failed; block production stopped: {}", e.getMessage());
        return;
      }
      if (!full) {
        try {
          Thread.sleep(intervalMs);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /**
   * Builds, executes, signs and commits one block from the mempool. Returns true when the block was
   * full (more transactions are waiting), false when there was nothing or little to do.
   *
   * <p>Only this thread writes the store, so execution and the durable write run without the ledger
   * lock; the lock is held just to take transactions from the mempool and to remove them after the
   * commit. Meanwhile admission keeps working: the taken transactions stay in the mempool until
   * committed, so their nonces and hashes still count as pending.
   */
  public boolean produceOnce() throws StorageException {
    var params = core.genesis.getConsensus();
    long startNanos = System.nanoTime();
    List<Mempool.Entry> entries;
    synchronized (core.lock) {
      entries =
          core.mempool.peek(
              params.getBlockTxsMax(), params.getBlockBytesMax() - HEADER_BYTES_RESERVE);
    }
    if (entries.isEmpty()) {
      return false;
    }
    long height = core.store.height() + 1;
    List<Transaction> txs = new ArrayList<>(entries.size());
    List<byte[]> hashes = new ArrayList<>(entries.size());
    for (Mempool.Entry e : entries) {
      txs.add(e.tx());
      hashes.add(e.hash());
    }
    byte[] stateBefore = core.stateHashBefore();
    // Every transaction here came from the mempool, which admits only transactions that passed
    // the stateless checks and signature verification.
    BlockExecutor.Execution exec =
        core.executor.execute(txs, hashes, core.store::state, height, stateBefore, (tx, h) -> true);

    long previousTime =
        lastHeader == null ? core.genesis.getGenesisTimeMs() : lastHeader.getTimeMs();
    BlockHeader.Builder header =
        BlockHeader.newBuilder()
            .setChainId(core.genesis.getChainId())
            .setHeight(height)
            .setTimeMs(Math.max(clock.millis(), previousTime + 1))
            .setPreviousHash(ByteString.copyFrom(core.store.lastBlockId().orElse(new byte[32])))
            .setTxRoot(ByteString.copyFrom(MerkleTree.root(exec.appliedHashes())))
            .setStateHash(ByteString.copyFrom(stateBefore))
            .setProposer(key.getEd25519PublicKey())
            .setTxCount(exec.applied().size());
    if (lastCommit != null) {
      header.setLastCommit(lastCommit);
    }
    BlockHeader h = header.build();
    byte[] blockId = BlockCodec.blockId(h);
    CommitCertificate commit = selfCommit(height, blockId);
    CommittedBlock committed =
        CommittedBlock.newBuilder()
            .setBlock(Block.newBuilder().setHeader(h).addAllTxs(exec.applied()))
            .setCommit(commit)
            .setStateHashAfter(ByteString.copyFrom(exec.stateHashAfter()))
            .build();
    core.store.commit(committed, blockId, exec.appliedHashes(), exec.writes().entries());
    lastHeader = h;
    lastCommit = commit;

    List<byte[]> rejectedHashes = new ArrayList<>();
    for (BlockExecutor.Rejected r : exec.rejected()) {
      rejectedHashes.add(r.txHash());
    }
    List<Mempool.Entry> expired;
    synchronized (core.lock) {
      core.mempool.remove(exec.appliedHashes());
      core.mempool.remove(rejectedHashes);
      expired = core.mempool.evictExpired(height + 1);
    }
    for (BlockExecutor.Rejected r : exec.rejected()) {
      core.hub.refused(r.txHash(), r.refusal());
    }
    for (Mempool.Entry e : expired) {
      core.hub.refused(
          e.hash(),
          Refusal.of(RefusalCode.REFUSAL_EXPIRED, "transaction expired before inclusion"));
    }
    core.hub.committed(height, exec.appliedHashes());
    reportCommit(startNanos, entries, exec);
    if (!exec.rejected().isEmpty()) {
      log.info("height {}: {} txs rejected at execution", height, exec.rejected().size());
    }
    return entries.size() >= params.getBlockTxsMax();
  }

  private void reportCommit(
      long startNanos, List<Mempool.Entry> entries, BlockExecutor.Execution exec) {
    java.util.Set<ByteString> rejected = new java.util.HashSet<>();
    for (BlockExecutor.Rejected r : exec.rejected()) {
      rejected.add(ByteString.copyFrom(r.txHash()));
      core.events.refused(r.refusal().code());
    }
    long[] admittedAt = new long[exec.applied().size()];
    int i = 0;
    for (Mempool.Entry e : entries) {
      if (!rejected.contains(ByteString.copyFrom(e.hash())) && i < admittedAt.length) {
        admittedAt[i++] = e.admittedAtNanos();
      }
    }
    core.events.blockCommitted(startNanos, System.nanoTime(), admittedAt);
  }

  private CommitCertificate selfCommit(long height, byte[] blockId) {
    byte[] pk = key.getEd25519PublicKey().toByteArray();
    var vote = BlockCodec.precommit(core.genesis.getChainId(), height, 0, blockId, pk);
    byte[] sig =
        Ed25519Keys.sign(
            key.getEd25519PrivateKey().toByteArray(), pk, BlockCodec.voteSigningBytes(vote));
    return CommitCertificate.newBuilder()
        .setHeight(height)
        .setRound(0)
        .setBlockId(ByteString.copyFrom(blockId))
        .addSignatures(
            CommitSignature.newBuilder()
                .setValidator(key.getEd25519PublicKey())
                .setSignature(ByteString.copyFrom(sig)))
        .build();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
