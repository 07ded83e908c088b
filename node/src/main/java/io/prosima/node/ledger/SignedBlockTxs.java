package io.prosima.node.ledger;

import com.google.protobuf.ByteString;
import io.prosima.consensus.bft.SignedVoteRecord;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.wire.TxCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The transactions of the blocks a validator's signed-vote record holds (its last proposal and the
 * block it is locked on), by hash, for neighbours' fetches. Hashed on the first lookup only: a
 * fetch reaches here only when the mempool and the recently rebuilt proposals lack a transaction.
 * Immutable apart from that one lazy index; thread-safe.
 */
final class SignedBlockTxs {
  private static final SignedBlockTxs NONE = new SignedBlockTxs(List.of());

  private final List<Block> blocks;
  private Map<ByteString, Transaction> byHash;

  private SignedBlockTxs(List<Block> blocks) {
    this.blocks = blocks;
  }

  static SignedBlockTxs of(SignedVoteRecord record) {
    List<Block> blocks = new ArrayList<>(2);
    if (record.lastProposal() != null && record.lastProposal().hasBlock()) {
      blocks.add(record.lastProposal().getBlock());
    }
    if (record.lockBlock() != null) {
      blocks.add(record.lockBlock());
    }
    return blocks.isEmpty() ? NONE : new SignedBlockTxs(blocks);
  }

  synchronized Transaction get(ByteString hash) {
    if (blocks.isEmpty()) {
      return null;
    }
    if (byHash == null) {
      byHash = new HashMap<>();
      for (Block b : blocks) {
        for (Transaction tx : b.getTxsList()) {
          byHash.put(ByteString.copyFrom(TxCodec.hash(tx)), tx);
        }
      }
    }
    return byHash.get(hash);
  }
}
