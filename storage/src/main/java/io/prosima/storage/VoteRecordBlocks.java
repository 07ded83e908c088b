package io.prosima.storage;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.SignedVoteRecordData;
import io.prosima.proto.wire.BlockCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The signed-vote record written without its blocks. A validator rewrites the record before every
 * vote it sends, and the record holds up to two full blocks (its last proposal and its lock), each
 * up to the genesis block byte cap; those blocks change at most once per round. So the store keeps
 * each block once, under its block id, and the record keeps only the headers ({@link #strip}); a
 * read puts the blocks back ({@link #restore}).
 */
final class VoteRecordBlocks {
  private VoteRecordBlocks() {}

  /** The blocks {@code record} holds, by block id (one entry when proposal and lock agree). */
  static Map<ByteString, Block> blocksOf(SignedVoteRecordData record) {
    Map<ByteString, Block> blocks = new LinkedHashMap<>();
    if (record.hasLastProposal()) {
      Block b = record.getLastProposal().getBlock();
      blocks.put(id(b), b);
    }
    if (record.hasLockBlock()) {
      blocks.put(id(record.getLockBlock()), record.getLockBlock());
    }
    return blocks;
  }

  /** The record as written beside its blocks: each block reduced to its header. */
  static SignedVoteRecordData strip(SignedVoteRecordData record) {
    SignedVoteRecordData.Builder b = record.toBuilder().setBlocksApart(true);
    if (record.hasLastProposal()) {
      b.getLastProposalBuilder().setBlock(headerOnly(record.getLastProposal().getBlock()));
    }
    if (record.hasLockBlock()) {
      b.setLockBlock(headerOnly(record.getLockBlock()));
    }
    return b.build();
  }

  /**
   * The record as it was saved. {@code stored} finds a block by id, or returns null: a stripped
   * record whose block is missing is corruption, never a record to sign from.
   */
  static SignedVoteRecordData restore(
      SignedVoteRecordData written, Function<ByteString, Block> stored) {
    if (!written.getBlocksApart()) {
      return written; // written before blocks were kept apart
    }
    SignedVoteRecordData.Builder b = written.toBuilder().clearBlocksApart();
    if (written.hasLastProposal()) {
      b.getLastProposalBuilder().setBlock(find(written.getLastProposal().getBlock(), stored));
    }
    if (written.hasLockBlock()) {
      b.setLockBlock(find(written.getLockBlock(), stored));
    }
    return b.build();
  }

  static ByteString id(Block block) {
    return ByteString.copyFrom(BlockCodec.blockId(block.getHeader()));
  }

  private static Block headerOnly(Block block) {
    return Block.newBuilder().setHeader(block.getHeader()).build();
  }

  private static Block find(Block headerOnly, Function<ByteString, Block> stored) {
    Block full = stored.apply(id(headerOnly));
    if (full == null || !full.getHeader().equals(headerOnly.getHeader())) {
      throw new StorageCorruptionException(
          "storage corruption: a block of the signed-vote record is missing");
    }
    return full;
  }
}
