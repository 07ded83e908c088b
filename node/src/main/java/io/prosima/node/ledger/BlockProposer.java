package io.prosima.node.ledger;

import com.google.protobuf.ByteString;
import io.prosima.consensus.execution.BlockExecutor;
import io.prosima.consensus.mempool.Mempool;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.BlockHeader;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.BlockMemo;
import io.prosima.proto.wire.MerkleTree;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds this validator's block for a height: the oldest mempool transactions, executed on top of
 * the tip so that only transactions that apply go in (the rest are refused and dropped from the
 * mempool). The execution is kept for the commit.
 */
final class BlockProposer {
  /** Room kept in a block for its header and commit certificate. */
  static final long HEADER_BYTES_RESERVE = 64 << 10;

  private final LedgerCore core;
  private final LedgerBlockValidator validator;
  private final ByteString proposer;
  private final Clock clock;

  BlockProposer(LedgerCore core, LedgerBlockValidator validator, ByteString proposer, Clock clock) {
    long blockBytes = core.genesis.getConsensus().getBlockBytesMax();
    if (blockBytes <= HEADER_BYTES_RESERVE + core.genesis.getConsensus().getTxBytesMax()) {
      throw new IllegalArgumentException(
          "block_bytes_max must exceed tx_bytes_max + " + HEADER_BYTES_RESERVE);
    }
    this.core = core;
    this.validator = validator;
    this.proposer = proposer;
    this.clock = clock;
  }

  Block build(long height) {
    var params = core.genesis.getConsensus();
    List<Mempool.Entry> entries;
    synchronized (core.lock) {
      entries =
          core.mempool.peek(
              params.getBlockTxsMax(), params.getBlockBytesMax() - HEADER_BYTES_RESERVE);
    }
    List<Transaction> txs = new ArrayList<>(entries.size());
    List<byte[]> hashes = new ArrayList<>(entries.size());
    for (Mempool.Entry e : entries) {
      txs.add(e.tx());
      hashes.add(e.hash());
    }
    byte[] stateBefore = core.stateHashBefore();
    // The mempool admits only transactions that passed the stateless and signature checks.
    BlockExecutor.Execution exec =
        core.executor.execute(txs, hashes, core.store::state, height, stateBefore, (tx, h) -> true);
    dropRejected(exec);

    var parent = height == 1 ? null : validator.tip();
    long parentTime =
        parent == null
            ? core.genesis.getGenesisTimeMs()
            : parent.getBlock().getHeader().getTimeMs();
    BlockHeader.Builder header =
        BlockHeader.newBuilder()
            .setChainId(core.genesis.getChainId())
            .setHeight(height)
            .setTimeMs(timeMs(clock.millis(), parentTime))
            .setPreviousHash(ByteString.copyFrom(core.store.lastBlockId().orElse(new byte[32])))
            .setTxRoot(ByteString.copyFrom(MerkleTree.root(exec.appliedHashes())))
            .setStateHash(ByteString.copyFrom(stateBefore))
            .setProposer(proposer)
            .setTxCount(exec.applied().size());
    if (parent != null) {
      header.setLastCommit(parent.getCommit());
    }
    BlockHeader h = header.build();
    Block block = Block.newBuilder().setHeader(h).addAllTxs(exec.applied()).build();
    BlockMemo.rememberTxHashes(block, exec.appliedHashes());
    validator.remember(BlockCodec.blockId(h), block, exec);
    return block;
  }

  /**
   * The local clock, or just after the parent when the parent (from a proposer whose clock runs
   * ahead, within the allowed drift) is later; uint64 times, so compared unsigned.
   */
  static long timeMs(long nowMs, long parentTimeMs) {
    long next = parentTimeMs + 1;
    return Long.compareUnsigned(nowMs, next) >= 0 ? nowMs : next;
  }

  private void dropRejected(BlockExecutor.Execution exec) {
    if (exec.rejected().isEmpty()) {
      return;
    }
    List<byte[]> rejected = new ArrayList<>();
    for (BlockExecutor.Rejected r : exec.rejected()) {
      rejected.add(r.txHash());
    }
    synchronized (core.lock) {
      core.mempool.remove(rejected);
    }
    for (BlockExecutor.Rejected r : exec.rejected()) {
      core.hub.refused(r.txHash(), r.refusal());
      core.events.refused(r.refusal().code());
    }
  }
}
