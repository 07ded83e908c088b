package io.prosima.proto.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.prosima.proto.v1.AccessLog;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.BlockHeader;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.Transaction;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockMemoTest {
  private static Block block(int height, int txs) {
    Block.Builder b = Block.newBuilder().setHeader(BlockHeader.newBuilder().setHeight(height));
    for (int i = 0; i < txs; i++) {
      b.addTxs(
          Transaction.newBuilder()
              .setNonce(i + 1)
              .setPayload(
                  Payload.newBuilder().setAccessLog(AccessLog.newBuilder().setImageId("i" + i))));
    }
    return b.build();
  }

  @Test
  void digestAndTxHashesAreWhatTheyWouldBeComputedFresh() throws Exception {
    Block b = block(1, 5);
    assertArrayEquals(Sha256.hash(Canonical.bytes(b)), BlockMemo.digest(b));
    assertArrayEquals(Sha256.hash(Canonical.bytes(b)), BlockMemo.digest(b), "memo hit");
    List<byte[]> fresh = BlockCodec.txHashes(b.getTxsList());
    List<byte[]> memo = BlockMemo.txHashes(b);
    assertEquals(fresh.size(), memo.size());
    for (int i = 0; i < fresh.size(); i++) {
      assertArrayEquals(fresh.get(i), memo.get(i));
    }
    assertSame(memo, BlockMemo.txHashes(b), "second call is a memo hit");
  }

  @Test
  void rememberedHashesBelongToThatObjectOnlyNotToAnEqualCopy() throws Exception {
    Block b = block(2, 3);
    BlockMemo.rememberTxHashes(b, BlockCodec.txHashes(b.getTxsList()));
    Block copy = Block.parseFrom(b.toByteArray());
    assertNull(BlockMemo.knownTxHashes(copy), "a copy from the wire is hashed afresh");
  }

  @Test
  void aHashListOfTheWrongLengthIsRefused() {
    Block b = block(3, 2);
    assertThrows(
        IllegalArgumentException.class, () -> BlockMemo.rememberTxHashes(b, List.of(new byte[32])));
  }
}
