package io.prosima.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.AccessLog;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.BlockHeader;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.TxCodec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

class RocksDbLedgerStoreTest {
  @TempDir Path dir;

  private static final ByteString SIGNER_A = ByteString.copyFrom(filled(32, 0xA));
  private static final ByteString SIGNER_B = ByteString.copyFrom(filled(32, 0xB));

  private static byte[] filled(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return b;
  }

  private static Transaction tx(ByteString signer, long nonce, String imageId) {
    return Transaction.newBuilder()
        .setChainId("test")
        .setSigner(signer)
        .setNonce(nonce)
        .setPayload(
            Payload.newBuilder()
                .setAccessLog(AccessLog.newBuilder().setImageId(imageId).setAction("read")))
        .build();
  }

  /** Commits a block of txs on top of the store's tip; returns its id. */
  private static byte[] commit(
      LedgerStore store, List<Transaction> txs, TreeMap<byte[], byte[]> writes) throws Exception {
    long height = store.height() + 1;
    BlockHeader header =
        BlockHeader.newBuilder()
            .setChainId("test")
            .setHeight(height)
            .setTimeMs(1000 + height)
            .setPreviousHash(ByteString.copyFrom(store.lastBlockId().orElse(new byte[32])))
            .setTxRoot(ByteString.copyFrom(BlockCodec.txRoot(txs)))
            .setTxCount(txs.size())
            .build();
    byte[] id = BlockCodec.blockId(header);
    CommittedBlock cb =
        CommittedBlock.newBuilder()
            .setBlock(Block.newBuilder().setHeader(header).addAllTxs(txs))
            .setStateHashAfter(ByteString.copyFrom(filled(32, (int) height)))
            .build();
    store.commit(cb, id, BlockCodec.txHashes(txs), writes);
    return id;
  }

  private static TreeMap<byte[], byte[]> writes() {
    return new TreeMap<>(Arrays::compareUnsigned);
  }

  @Test
  void committedBlocksTxsAndStateSurviveReopening() throws Exception {
    Transaction t1 = tx(SIGNER_A, 1, "img-1");
    Transaction t2 = tx(SIGNER_B, 1, "img-2");
    byte[] id1;
    byte[] id2;
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      assertEquals(0, store.height());
      TreeMap<byte[], byte[]> w = writes();
      w.put(new byte[] {1, 2}, new byte[] {9});
      id1 = commit(store, List.of(t1), w);
      TreeMap<byte[], byte[]> w2 = writes();
      w2.put(new byte[] {1, 2}, null);
      w2.put(new byte[] {3}, new byte[] {7, 7});
      id2 = commit(store, List.of(t2, tx(SIGNER_A, 2, "img-1")), w2);
    }
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      assertEquals(2, store.height());
      assertArrayEquals(id2, store.lastBlockId().orElseThrow());
      assertEquals(1, store.heightOf(id1).getAsLong());
      assertEquals(t2, store.block(2).orElseThrow().getBlock().getTxs(0));
      var loc = store.txLocation(TxCodec.hash(t2)).orElseThrow();
      assertEquals(2, loc.getHeight());
      assertEquals(0, loc.getIndex());
      assertEquals(null, store.state(new byte[] {1, 2}));
      assertArrayEquals(new byte[] {7, 7}, store.state(new byte[] {3}));
      assertTrue(store.block(3).isEmpty());
    }
  }

  @Test
  void theLastBlockTimeAndEachTxAreReadWithoutParsingABlockAfterReopening() throws Exception {
    Transaction t1 = tx(SIGNER_A, 1, "img-1");
    Transaction t2 = tx(SIGNER_B, 1, "img-2");
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      assertTrue(store.lastBlockTimeMs().isEmpty());
      commit(store, List.of(t1), writes());
      commit(store, List.of(t2), writes());
      assertEquals(1002, store.lastBlockTimeMs().getAsLong());
    }
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      long parsed = store.blocksParsed(); // the tip check at open reads the tip's block
      assertEquals(1002, store.lastBlockTimeMs().getAsLong());
      assertEquals(t1, store.tx(TxCodec.hash(t1)).orElseThrow());
      assertEquals(t2, store.tx(TxCodec.hash(t2)).orElseThrow());
      assertTrue(store.tx(new byte[32]).isEmpty());
      assertEquals(parsed, store.blocksParsed());
    }
  }

  @Test
  void indexesPageThroughTransactionsOfOneImageOrSignerOnly() throws Exception {
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      for (int b = 0; b < 5; b++) {
        List<Transaction> txs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          txs.add(tx(SIGNER_A, 10L * b + i + 1, "img-1"));
          // "img-10" starts with "img-1": the index must not mix them up.
          txs.add(tx(SIGNER_B, 10L * b + i + 1, "img-10"));
        }
        commit(store, txs, writes());
      }
      List<TxRef> all = new ArrayList<>();
      byte[] token = new byte[0];
      do {
        TxPage page = store.txsByImage("img-1", token, 4);
        all.addAll(page.txs());
        token = page.nextToken();
      } while (token.length > 0);
      assertEquals(15, all.size());
      for (TxRef ref : all) {
        var block = store.block(ref.height()).orElseThrow().getBlock();
        assertEquals("img-1", block.getTxs(ref.index()).getPayload().getAccessLog().getImageId());
      }
      assertEquals(15, store.txsBySigner(SIGNER_B, new byte[0], 100).txs().size());
      assertEquals(0, store.txsByImage("img", new byte[0], 100).txs().size());
      assertThrows(
          IllegalArgumentException.class, () -> store.txsByImage("img-1", new byte[3], 10));
    }
  }

  @Test
  void aBlockThatDoesNotExtendTheTipIsAnInvariantViolation() throws Exception {
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      commit(store, List.of(), writes());
      BlockHeader wrongParent =
          BlockHeader.newBuilder()
              .setHeight(2)
              .setPreviousHash(ByteString.copyFrom(new byte[32]))
              .build();
      CommittedBlock cb =
          CommittedBlock.newBuilder()
              .setBlock(Block.newBuilder().setHeader(wrongParent))
              .setStateHashAfter(ByteString.copyFrom(new byte[32]))
              .build();
      assertThrows(
          IllegalStateException.class,
          () -> store.commit(cb, BlockCodec.blockId(wrongParent), List.of(), writes()));
      assertEquals(1, store.height());
    }
  }

  @Test
  void aCorruptedValueOnDiskGivesAClearErrorNotAWrongAnswer() throws Exception {
    Transaction t1 = tx(SIGNER_A, 1, "img-1");
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      commit(store, List.of(t1), writes());
      commit(store, List.of(tx(SIGNER_A, 2, "img-1")), writes());
    }
    // Flip one byte of block 1 and of t1's location behind the store's back.
    corrupt(dir, "blocks", ByteBuffer.allocate(8).putLong(1).array());
    corrupt(dir, "txs", TxCodec.hash(t1));
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      StorageCorruptionException e =
          assertThrows(StorageCorruptionException.class, () -> store.block(1));
      assertTrue(
          e.getMessage().contains("checksum mismatch in blocks at height 1"), e.getMessage());
      assertThrows(StorageCorruptionException.class, () -> store.txLocation(TxCodec.hash(t1)));
      assertFalse(store.block(2).isEmpty(), "untouched data still reads");
    }
  }

  @Test
  void aCorruptedTipIsRefusedWhenOpening() throws Exception {
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      commit(store, List.of(), writes());
    }
    corrupt(dir, "default", "tip".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThrows(StorageCorruptionException.class, () -> RocksDbLedgerStore.open(dir));
  }

  @Test
  void aSecondProcessCannotOpenAStoreThatIsInUse() throws Exception {
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      StorageException e = assertThrows(StorageException.class, () -> RocksDbLedgerStore.open(dir));
      assertTrue(e.getMessage().contains("cannot open ledger store"), e.getMessage());
    }
  }

  @Test
  void theSignedVoteRecordIsReplacedAndSurvivesReopening() throws Exception {
    var first =
        io.prosima.proto.v1.SignedVoteRecordData.newBuilder()
            .setLastPrevote(io.prosima.proto.v1.Vote.newBuilder().setHeight(3).setRound(1).build())
            .build();
    var second =
        first.toBuilder()
            .setLastPrecommit(
                io.prosima.proto.v1.Vote.newBuilder().setHeight(3).setRound(2).build())
            .build();
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      assertTrue(store.signedVotes().isEmpty());
      store.saveSignedVotes(first);
      store.saveSignedVotes(second);
    }
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      assertEquals(second, store.signedVotes().orElseThrow());
    }
  }

  static void corrupt(Path dir, String family, byte[] key) throws Exception {
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    List<String> names =
        List.of(
            "default",
            "blocks",
            "block_ids",
            "txs",
            "by_image",
            "by_signer",
            "state",
            "fragments",
            "tx_bodies");
    for (String n : names) {
      descriptors.add(
          new ColumnFamilyDescriptor(n.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options = new DBOptions();
        RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles)) {
      ColumnFamilyHandle cf = handles.get(names.indexOf(family));
      byte[] value = db.get(cf, key);
      value[value.length / 2] ^= 0x40;
      db.put(cf, key, value);
      handles.forEach(ColumnFamilyHandle::close);
    }
  }
}
