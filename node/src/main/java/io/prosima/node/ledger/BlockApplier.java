package io.prosima.node.ledger;

import com.google.protobuf.ByteString;
import io.prosima.consensus.execution.BlockExecutor;
import io.prosima.consensus.execution.Refusal;
import io.prosima.consensus.mempool.Mempool;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.CommitCertificate;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.RefusalCode;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.storage.StorageException;
import java.util.List;

/**
 * Makes a decided block durable: one synced write of the block, its certificate, indexes and state
 * writes; then the mempool forgets its transactions and commit waiters are told.
 */
final class BlockApplier {
  private final LedgerCore core;
  private final LedgerBlockValidator validator;

  BlockApplier(LedgerCore core, LedgerBlockValidator validator) {
    this.core = core;
    this.validator = validator;
  }

  /**
   * @param heightStartNanos when this node began the height (for the block-duration metric)
   */
  void apply(long height, Block block, CommitCertificate cert, long heightStartNanos)
      throws StorageException {
    byte[] blockId = BlockCodec.blockId(block.getHeader());
    BlockExecutor.Execution exec = validator.executionOf(blockId);
    if (exec == null) {
      // The core decides only blocks it found valid, which keeps their execution.
      String bad = validator.check(block);
      if (bad != null) {
        throw new IllegalStateException("decided block at height " + height + " invalid: " + bad);
      }
      exec = validator.executionOf(blockId);
    }
    CommittedBlock committed =
        CommittedBlock.newBuilder()
            .setBlock(block)
            .setCommit(cert)
            .setStateHashAfter(ByteString.copyFrom(exec.stateHashAfter()))
            .build();
    core.store.commit(committed, blockId, exec.appliedHashes(), exec.writes().entries());
    validator.committed(block.getHeader(), cert);

    long[] admittedAt = new long[exec.appliedHashes().size()];
    List<Mempool.Entry> expired;
    synchronized (core.lock) {
      for (int i = 0; i < admittedAt.length; i++) {
        Mempool.Entry e = core.mempool.get(exec.appliedHashes().get(i));
        admittedAt[i] = e == null ? 0 : e.admittedAtNanos();
      }
      core.mempool.remove(exec.appliedHashes());
      expired = core.mempool.evictExpired(height + 1);
    }
    for (Mempool.Entry e : expired) {
      core.hub.refused(
          e.hash(),
          Refusal.of(RefusalCode.REFUSAL_EXPIRED, "transaction expired before inclusion"));
    }
    core.hub.committed(height, exec.appliedHashes());
    core.events.blockCommitted(heightStartNanos, System.nanoTime(), admittedAt);
  }
}
