package io.prosima.node.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.ByteString;
import io.prosima.consensus.bft.SignedVoteRecord;
import io.prosima.proto.v1.AccessLog;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.Proposal;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.wire.TxCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedBlockTxsTest {
  private static Transaction tx(String id) {
    return Transaction.newBuilder()
        .setNonce(1)
        .setPayload(
            Payload.newBuilder().setAccessLog(AccessLog.newBuilder().setImageId(id).setAction("r")))
        .build();
  }

  private static ByteString hash(Transaction tx) {
    return ByteString.copyFrom(TxCodec.hash(tx));
  }

  @Test
  void theLastProposalsAndTheLockedBlocksTransactionsAreFoundByHash() {
    Transaction proposed = tx("proposed");
    Transaction locked = tx("locked");
    SignedVoteRecord record =
        new SignedVoteRecord(
            Proposal.newBuilder().setBlock(Block.newBuilder().addTxs(proposed)).build(),
            null,
            null,
            null,
            Block.newBuilder().addTxs(locked).build(),
            List.of());
    SignedBlockTxs txs = SignedBlockTxs.of(record);
    assertEquals(proposed, txs.get(hash(proposed)));
    assertEquals(locked, txs.get(hash(locked)));
    assertNull(txs.get(hash(tx("elsewhere"))));
  }

  @Test
  void anEmptyRecordHoldsNothing() {
    assertNull(SignedBlockTxs.of(SignedVoteRecord.EMPTY).get(hash(tx("any"))));
  }
}
