package io.prosima.node.ledger;

import com.google.protobuf.ByteString;
import io.prosima.consensus.bft.BlockValidator;
import io.prosima.consensus.execution.BlockExecutor;
import io.prosima.consensus.execution.Refusal;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.BlockHeader;
import io.prosima.proto.v1.CommitCertificate;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.BlockMemo;
import io.prosima.proto.wire.MerkleTree;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * valid(v) for the BFT core: a proposed or synced block must extend this node's tip exactly
 * (height, parent id, state hash, the parent's commit certificate), respect the size limits, and
 * every transaction in it must pass every check and apply. Signatures are verified in parallel on
 * all cores, skipping transactions this node already verified when its mempool admitted them.
 *
 * <p>The execution of each valid block is kept (by block id) until the next height, so the commit
 * writes the result the vote was based on without executing the block a second time.
 */
final class LedgerBlockValidator implements BlockValidator {
  private static final byte[] NO_PARENT = new byte[32];

  /**
   * A new proposal's time may be at most this far ahead of the local clock. Without an upper bound
   * a proposer could set a time near the top of uint64, after which no honest block can follow.
   */
  static final long BLOCK_TIME_DRIFT_MS_MAX = 5_000;

  private final LedgerCore core;
  private final TxAdmission admission;
  private final Clock clock;
  private final Map<ByteString, BlockExecutor.Execution> executed = new HashMap<>();
  // The block object each kept execution came from, compared by identity.
  private final Map<ByteString, Block> checkedBlocks = new HashMap<>();
  // Only the consensus thread calls this class; null until first needed (height >= 1).
  private CommittedBlock tip;

  LedgerBlockValidator(LedgerCore core, TxAdmission admission, Clock clock) {
    this.core = core;
    this.admission = admission;
    this.clock = clock;
  }

  @Override
  public String check(Block block) {
    if (checkedBlocks.get(ByteString.copyFrom(BlockCodec.blockId(block.getHeader()))) == block) {
      // This very block object was built or checked on the current tip (this node's own
      // proposal, or one asked about again in a later round): its execution is kept.
      return null;
    }
    var params = core.genesis.getConsensus();
    BlockHeader h = block.getHeader();
    long height = core.store.height() + 1;
    if (!h.getChainId().equals(core.genesis.getChainId())) {
      return "block of another chain";
    }
    if (h.getHeight() != height) {
      return "block height " + h.getHeight() + " is not the next height " + height;
    }
    if (block.getTxsCount() > params.getBlockTxsMax()) {
      return "block has " + block.getTxsCount() + " txs, more than " + params.getBlockTxsMax();
    }
    if (block.getSerializedSize() > params.getBlockBytesMax()) {
      return "block is larger than " + params.getBlockBytesMax() + " bytes";
    }
    if (h.getTxCount() != block.getTxsCount()) {
      return "header tx_count does not match the block's transactions";
    }
    byte[] parentId = core.store.lastBlockId().orElse(NO_PARENT);
    if (!Arrays.equals(h.getPreviousHash().toByteArray(), parentId)) {
      return "previous_hash is not this node's tip";
    }
    byte[] stateBefore = core.stateHashBefore();
    if (!Arrays.equals(h.getStateHash().toByteArray(), stateBefore)) {
      return "state_hash does not match the state after the parent";
    }
    if (core.validatorSets().at(height).get(h.getProposer()).isEmpty()) {
      return "proposer is not a validator";
    }
    String parent = checkParent(h, height, parentId);
    if (parent != null) {
      return parent;
    }
    List<Transaction> txs = block.getTxsList();
    List<byte[]> knownHashes = BlockMemo.knownTxHashes(block);
    byte[][] hashes =
        knownHashes != null ? knownHashes.toArray(new byte[0][]) : admission.hashBlock(txs);
    if (!Arrays.equals(h.getTxRoot().toByteArray(), MerkleTree.root(Arrays.asList(hashes)))) {
      return "tx_root does not match the block's transactions";
    }
    boolean[] known = new boolean[txs.size()];
    synchronized (core.lock) {
      for (int i = 0; i < known.length; i++) {
        known[i] = core.mempool.contains(hashes[i]);
      }
    }
    Refusal[] refusals = admission.verify(txs, hashes, known);
    for (int i = 0; i < refusals.length; i++) {
      if (refusals[i] != null) {
        return "tx " + i + " refused: " + refusals[i].message();
      }
    }
    BlockExecutor.Execution exec =
        core.executor.execute(
            txs, Arrays.asList(hashes), core.store::state, height, stateBefore, (tx, hash) -> true);
    if (!exec.rejected().isEmpty()) {
      BlockExecutor.Rejected r = exec.rejected().get(0);
      return "a tx does not apply: " + r.refusal().message();
    }
    BlockMemo.rememberTxHashes(block, Arrays.asList(hashes));
    remember(BlockCodec.blockId(h), block, exec);
    return null;
  }

  /**
   * Only the upper bound needs the clock; the core asks this for new proposals alone, so a block
   * learned by sync (history, certified) is never refused for the local clock.
   */
  @Override
  public String timely(Block block) {
    long latestMs = clock.millis() + BLOCK_TIME_DRIFT_MS_MAX;
    // time_ms is a uint64: compare unsigned, or a time above 2^63 would pass as negative.
    if (Long.compareUnsigned(block.getHeader().getTimeMs(), latestMs) > 0) {
      return "block time "
          + Long.toUnsignedString(block.getHeader().getTimeMs())
          + " ms is more than "
          + BLOCK_TIME_DRIFT_MS_MAX
          + " ms ahead of the local clock";
    }
    return null;
  }

  private String checkParent(BlockHeader h, long height, byte[] parentId) {
    long parentTimeMs =
        height == 1 ? core.genesis.getGenesisTimeMs() : tip().getBlock().getHeader().getTimeMs();
    // uint64 times, compared unsigned; height 1 follows the genesis time.
    if (Long.compareUnsigned(h.getTimeMs(), parentTimeMs) <= 0) {
      return "block time is not after its parent's (or genesis) time";
    }
    if (height == 1) {
      return h.hasLastCommit() ? "the first block carries a last_commit" : null;
    }
    if (!h.hasLastCommit() || h.getLastCommit().getHeight() != height - 1) {
      return "last_commit missing or for another height";
    }
    String bad =
        BlockCodec.checkCommit(
            core.genesis.getChainId(),
            parentId,
            h.getLastCommit(),
            core.validatorSets().at(height - 1).weights());
    return bad == null ? null : "last_commit: " + bad;
  }

  /** Keeps an execution (a valid block's, or the proposer's own) for the commit. */
  void remember(byte[] blockId, Block block, BlockExecutor.Execution exec) {
    executed.put(ByteString.copyFrom(blockId), exec);
    checkedBlocks.put(ByteString.copyFrom(blockId), block);
  }

  /** The execution of a block that was checked at the current height, or null. */
  BlockExecutor.Execution executionOf(byte[] blockId) {
    return executed.get(ByteString.copyFrom(blockId));
  }

  /**
   * The last committed block's header and certificate (no transactions): what the next block builds
   * on. Kept in memory so that proposing and checking do not read and parse the whole parent block
   * from the store each time.
   */
  CommittedBlock tip() {
    if (tip == null) {
      CommittedBlock stored = core.store.block(core.store.height()).orElseThrow();
      tip = withoutTxs(stored.getBlock().getHeader(), stored.getCommit());
    }
    return tip;
  }

  /**
   * A block was committed: forget every kept execution (they all build on the previous tip) and
   * remember the new tip.
   */
  void committed(BlockHeader header, CommitCertificate cert) {
    executed.clear();
    checkedBlocks.clear();
    tip = withoutTxs(header, cert);
  }

  private static CommittedBlock withoutTxs(BlockHeader header, CommitCertificate cert) {
    return CommittedBlock.newBuilder()
        .setBlock(Block.newBuilder().setHeader(header))
        .setCommit(cert)
        .build();
  }
}
