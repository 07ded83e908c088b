package io.prosima.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.AccessLog;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.BlockHeader;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.Proposal;
import io.prosima.proto.v1.SignedVoteRecordData;
import io.prosima.proto.v1.Transaction;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VoteRecordBlocksTest {
  private static Block block(long height, int txs) {
    Block.Builder b =
        Block.newBuilder()
            .setHeader(BlockHeader.newBuilder().setChainId("t").setHeight(height).setTxCount(txs));
    for (int i = 0; i < txs; i++) {
      b.addTxs(
          Transaction.newBuilder()
              .setNonce(i)
              .setPayload(
                  Payload.newBuilder().setAccessLog(AccessLog.newBuilder().setImageId("i" + i))));
    }
    return b.build();
  }

  private static final Block PROPOSED = block(4, 20);
  private static final Block LOCKED = block(5, 30);
  private static final SignedVoteRecordData RECORD =
      SignedVoteRecordData.newBuilder()
          .setLastProposal(Proposal.newBuilder().setHeight(4).setBlock(PROPOSED))
          .setLockBlock(LOCKED)
          .build();

  @Test
  void aStrippedRecordHoldsHeadersOnlyAndIsRestoredExactly() {
    SignedVoteRecordData stripped = VoteRecordBlocks.strip(RECORD);
    assertTrue(stripped.getBlocksApart());
    assertEquals(0, stripped.getLastProposal().getBlock().getTxsCount());
    assertEquals(0, stripped.getLockBlock().getTxsCount());
    assertTrue(stripped.getSerializedSize() < RECORD.getSerializedSize() / 5);
    Map<ByteString, Block> blocks = VoteRecordBlocks.blocksOf(RECORD);
    assertEquals(2, blocks.size());
    assertEquals(RECORD, VoteRecordBlocks.restore(stripped, blocks::get));
  }

  @Test
  void aProposalThatIsAlsoTheLockIsOneBlock() {
    SignedVoteRecordData same = RECORD.toBuilder().setLockBlock(PROPOSED).build();
    assertEquals(1, VoteRecordBlocks.blocksOf(same).size());
  }

  @Test
  void aMissingOrDifferentBlockIsCorruptionNotARecordToSignFrom() {
    SignedVoteRecordData stripped = VoteRecordBlocks.strip(RECORD);
    assertThrows(
        StorageCorruptionException.class, () -> VoteRecordBlocks.restore(stripped, id -> null));
    assertThrows(
        StorageCorruptionException.class,
        () -> VoteRecordBlocks.restore(stripped, id -> block(99, 1)));
  }

  @Test
  void aRecordWrittenWithItsBlocksInsideIsReadAsItIs() {
    assertSame(RECORD, VoteRecordBlocks.restore(RECORD, id -> null));
  }
}
