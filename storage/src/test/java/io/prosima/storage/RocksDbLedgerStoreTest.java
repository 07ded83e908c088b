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
import io.prosima.proto.v1.CommitCertificate;
import io.prosima.proto.v1.CommitSignature;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.TxCodec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
            .setCommit(certificate(height, id))
            .setStateHashAfter(ByteString.copyFrom(filled(32, (int) height)))
            .build();
    store.commit(cb, id, BlockCodec.txHashes(txs), writes);
    return id;
  }

  /** A certificate shaped like a real one (signatures are not checked by the store). */
  private static CommitCertificate certificate(long height, byte[] blockId) {
    return CommitCertificate.newBuilder()
        .setHeight(height)
        .setRound(1)
        .setBlockId(ByteString.copyFrom(blockId))
        .addSignatures(
            CommitSignature.newBuilder()
                .setValidator(SIGNER_A)
                .setSignature(ByteString.copyFrom(filled(64, (int) height))))
        .build();
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
  void aCheckpointOfAnOpenStoreHoldsItsTipStateAndWalAndNothingCommittedAfter(
      @org.junit.jupiter.api.io.TempDir Path copies) throws Exception {
    Path cp = copies.resolve("cp");
    var wal =
        io.prosima.proto.v1.SignedVoteRecordData.newBuilder()
            .setLastPrevote(io.prosima.proto.v1.Vote.newBuilder().setHeight(3).setRound(1).build())
            .build();
    byte[] id2;
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      TreeMap<byte[], byte[]> w = writes();
      w.put(new byte[] {5}, new byte[] {6});
      commit(store, List.of(tx(SIGNER_A, 1, "img-1")), w);
      id2 = commit(store, List.of(tx(SIGNER_A, 2, "img-1")), writes());
      store.saveSignedVotes(wal);
      assertEquals(2, store.checkpoint(cp));
      commit(store, List.of(tx(SIGNER_B, 1, "img-2")), writes());
      assertEquals(3, store.height());
    }
    try (RocksDbLedgerStore copy = RocksDbLedgerStore.open(cp)) {
      assertEquals(2, copy.height());
      assertArrayEquals(id2, copy.lastBlockId().orElseThrow());
      assertArrayEquals(new byte[] {6}, copy.state(new byte[] {5}));
      assertEquals(wal, copy.signedVotes().orElseThrow());
    }
  }

  @Test
  void aClosedStoreRefusesACheckpoint(@org.junit.jupiter.api.io.TempDir Path copies)
      throws Exception {
    RocksDbLedgerStore store = RocksDbLedgerStore.open(dir);
    store.close();
    store.close();
    StorageException e =
        assertThrows(StorageException.class, () -> store.checkpoint(copies.resolve("cp")));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
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

  private static Block blockOf(long height, int txs) {
    List<Transaction> list = new ArrayList<>();
    for (int i = 0; i < txs; i++) {
      list.add(tx(SIGNER_A, height * 1000 + i, "img-" + "x".repeat(200) + i));
    }
    BlockHeader header =
        BlockHeader.newBuilder()
            .setChainId("test")
            .setHeight(height)
            .setTxRoot(ByteString.copyFrom(BlockCodec.txRoot(list)))
            .setTxCount(txs)
            .build();
    return Block.newBuilder().setHeader(header).addAllTxs(list).build();
  }

  @Test
  void theSignedVoteRecordWritesEachOfItsBlocksOnceAndReadsThemBack() throws Exception {
    Block proposed = blockOf(7, 50);
    Block locked = blockOf(8, 50);
    int blockBytes = proposed.getSerializedSize();
    var proposal =
        io.prosima.proto.v1.Proposal.newBuilder().setHeight(7).setRound(0).setBlock(proposed);
    var prevote = io.prosima.proto.v1.SignedVoteRecordData.newBuilder().setLastProposal(proposal);
    var withLock =
        prevote
            .clone()
            .setLastPrecommit(io.prosima.proto.v1.Vote.newBuilder().setHeight(8).build())
            .setLockBlock(locked)
            .build();
    var nextVote =
        withLock.toBuilder()
            .setLastPrevote(io.prosima.proto.v1.Vote.newBuilder().setHeight(9).build())
            .build();
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      long before = store.bytesWritten();
      store.saveSignedVotes(withLock);
      long first = store.bytesWritten() - before;
      assertTrue(first > 2L * blockBytes, "both blocks written once: " + first);
      store.saveSignedVotes(nextVote);
      long second = store.bytesWritten() - before - first;
      assertTrue(second < blockBytes / 10, "no block rewritten: " + second + " bytes");
      assertEquals(nextVote, store.signedVotes().orElseThrow());
    }
    // A new lock replaces the old block; the proposal's block stays; both survive reopening.
    Block relocked = blockOf(9, 3);
    var third = nextVote.toBuilder().setLockBlock(relocked).build();
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      assertEquals(nextVote, store.signedVotes().orElseThrow());
      store.saveSignedVotes(third);
      assertEquals(third, store.signedVotes().orElseThrow());
    }
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      assertEquals(third, store.signedVotes().orElseThrow());
      assertEquals(2, countVoteBlocks(store));
    }
  }

  private static int countVoteBlocks(RocksDbLedgerStore store) {
    return store.voteBlockCount();
  }

  private static byte[] height(long h) {
    return ByteBuffer.allocate(8).putLong(h).array();
  }

  /** The block index as it was answered before it was stored: from the parsed block. */
  private static BlockTxIndex fromBlock(CommittedBlock b) {
    return new BlockTxIndex(
        b.getBlock().getHeader(), b.getCommit(), BlockCodec.txHashes(b.getBlock().getTxsList()));
  }

  private static void assertSameIndex(BlockTxIndex expected, BlockTxIndex actual) {
    assertEquals(expected.header(), actual.header());
    assertEquals(expected.commit(), actual.commit());
    assertArrayEquals(
        expected.txHashes().toArray(byte[][]::new), actual.txHashes().toArray(byte[][]::new));
  }

  /** Commits three blocks (three txs, none, one); returns what each one's index must be. */
  private List<BlockTxIndex> commitThreeBlocks() throws Exception {
    List<BlockTxIndex> expected = new ArrayList<>();
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      commit(
          store,
          List.of(tx(SIGNER_A, 1, "img-1"), tx(SIGNER_B, 1, "img-2"), tx(SIGNER_A, 2, "img-1")),
          writes());
      commit(store, List.of(), writes());
      commit(store, List.of(tx(SIGNER_B, 2, "img-3")), writes());
      for (long h = 1; h <= 3; h++) {
        expected.add(fromBlock(store.block(h).orElseThrow()));
      }
    }
    return expected;
  }

  @Test
  void eachBlocksHeaderCertificateAndTxHashesAreReadWithoutParsingTheBlock() throws Exception {
    List<BlockTxIndex> expected = commitThreeBlocks();
    assertEquals(3, expected.get(0).txHashes().size());
    assertEquals(0, expected.get(1).txHashes().size());
    assertEquals(3, expected.get(2).commit().getHeight(), "the certificate is stored");
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      long parsed = store.blocksParsed(); // the tip check at open reads the tip's block
      for (long h = 1; h <= 3; h++) {
        assertSameIndex(expected.get((int) h - 1), store.blockTxIndex(h).orElseThrow());
      }
      assertTrue(store.blockTxIndex(0).isEmpty());
      assertTrue(store.blockTxIndex(4).isEmpty());
      assertEquals(parsed, store.blocksParsed(), "blocks parsed to read their tx index");
    }
  }

  @Test
  void aCorruptedBlockTxIndexGivesAClearErrorNotAWrongProof() throws Exception {
    commitThreeBlocks();
    corrupt(dir, "block_tx_index", height(1));
    // A record with a valid checksum that describes another height (say, a misplaced write).
    withRawDb(
        dir,
        (db, families) -> {
          ColumnFamilyHandle cf = families.get("block_tx_index");
          db.put(cf, height(2), db.get(cf, height(3)));
        });
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      StorageCorruptionException e =
          assertThrows(StorageCorruptionException.class, () -> store.blockTxIndex(1));
      assertTrue(
          e.getMessage().contains("checksum mismatch in block_tx_index at height 1"),
          e.getMessage());
      e = assertThrows(StorageCorruptionException.class, () -> store.blockTxIndex(2));
      assertTrue(
          e.getMessage().contains("block header mismatch in block_tx_index at height 2"),
          e.getMessage());
      assertFalse(store.blockTxIndex(3).isEmpty(), "untouched data still reads");
    }
  }

  @Test
  void aBlockTxIndexRecordThatIsCutShortOrHasAStrayHashIsCorruption() {
    BlockHeader header =
        BlockHeader.newBuilder().setChainId("test").setHeight(7).setTxCount(1).build();
    CommitCertificate cert = certificate(7, new byte[32]);
    byte[] good = BlockTxIndexRecord.encode(header, cert, List.of(filled(32, 1)));
    assertEquals(1, BlockTxIndexRecord.decode(good, 7, "test").txHashes().size());
    for (byte[] bad :
        List.of(
            Arrays.copyOf(good, 3),
            Arrays.copyOf(good, 10),
            Arrays.copyOf(good, good.length - 1),
            Arrays.copyOf(good, good.length + 32),
            BlockTxIndexRecord.encode(header, cert, List.of()))) {
      assertThrows(
          StorageCorruptionException.class, () -> BlockTxIndexRecord.decode(bad, 7, "test"));
    }
    assertThrows(StorageCorruptionException.class, () -> BlockTxIndexRecord.decode(good, 8, "t"));
  }

  @Test
  void blocksCommittedBeforeTheBlockTxIndexExistedAreAnsweredFromTheBlock() throws Exception {
    List<BlockTxIndex> expected = commitThreeBlocks();
    // A database written before block_tx_index existed has no such family, and its blocks hold
    // their transactions: write them so and drop the family. The store creates it again, empty.
    makeLegacy(dir);
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      assertEquals(3, store.height());
      long parsed = store.blocksParsed();
      for (long h = 1; h <= 3; h++) {
        assertSameIndex(expected.get((int) h - 1), store.blockTxIndex(h).orElseThrow());
      }
      assertEquals(parsed + 3, store.blocksParsed(), "old heights fall back to their block");
      assertTrue(store.blockTxIndex(4).isEmpty());

      // Blocks committed from now on are indexed.
      commit(store, List.of(tx(SIGNER_A, 3, "img-1")), writes());
      BlockTxIndex fourth = fromBlock(store.block(4).orElseThrow());
      parsed = store.blocksParsed();
      assertSameIndex(fourth, store.blockTxIndex(4).orElseThrow());
      assertEquals(parsed, store.blocksParsed());
    }
  }

  /** Rewrites a closed store as written before block_tx_index: full blocks, no index. */
  static void makeLegacy(Path dir) throws Exception {
    List<CommittedBlock> full = new ArrayList<>();
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      for (long h = 1; h <= store.height(); h++) {
        full.add(store.block(h).orElseThrow());
      }
    }
    withRawDb(
        dir,
        (db, families) -> {
          for (CommittedBlock b : full) {
            db.put(
                families.get("blocks"),
                height(b.getBlock().getHeader().getHeight()),
                Checksummed.wrap(b.toByteArray()));
          }
          db.dropColumnFamily(families.get("block_tx_index"));
        });
  }

  @Test
  void aBlockIsStoredWithoutItsTransactionsAndReadBackWhole() throws Exception {
    List<Transaction> txs = new ArrayList<>();
    for (Transaction t : List.of(tx(SIGNER_A, 1, "img-1"), tx(SIGNER_B, 1, "img-2"))) {
      var b = t.toBuilder();
      b.getPayloadBuilder().getAccessLogBuilder().setAction("x".repeat(5000));
      txs.add(b.build());
    }
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      long before = store.bytesWritten();
      commit(store, txs, writes());
      assertEquals(txs, store.block(1).orElseThrow().getBlock().getTxsList());
      long written = store.bytesWritten() - before;
      int txBytes = txs.get(0).getSerializedSize() + txs.get(1).getSerializedSize();
      // Each tx once (tx_bodies), plus hashes, indexes and the header: not twice the tx bytes.
      assertTrue(written < txBytes * 3 / 2, written + " bytes for " + txBytes + " of txs");
    }
    // A lost tx body is corruption, not a shorter block.
    withRawDb(
        dir, (db, families) -> db.delete(families.get("tx_bodies"), TxCodec.hash(txs.get(1))));
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      assertThrows(StorageCorruptionException.class, () -> store.block(1));
    } catch (StorageCorruptionException e) {
      // Opening reads the tip's block, which may already report it.
      assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }
  }

  /** What a test does to the database behind the store's back (the store must be closed). */
  interface RawDbAction {
    void run(RocksDB db, Map<String, ColumnFamilyHandle> families) throws Exception;
  }

  static final List<String> FAMILY_NAMES =
      List.of(
          "default",
          "blocks",
          "block_ids",
          "txs",
          "by_image",
          "by_signer",
          "state",
          "fragments",
          "tx_bodies",
          "block_tx_index",
          "vote_blocks");

  static void withRawDb(Path dir, RawDbAction action) throws Exception {
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (String n : FAMILY_NAMES) {
      descriptors.add(
          new ColumnFamilyDescriptor(n.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options = new DBOptions();
        RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles)) {
      try {
        Map<String, ColumnFamilyHandle> byName = new HashMap<>();
        for (int i = 0; i < FAMILY_NAMES.size(); i++) {
          byName.put(FAMILY_NAMES.get(i), handles.get(i));
        }
        action.run(db, byName);
      } finally {
        handles.forEach(ColumnFamilyHandle::close);
      }
    }
  }

  static void corrupt(Path dir, String family, byte[] key) throws Exception {
    withRawDb(
        dir,
        (db, families) -> {
          ColumnFamilyHandle cf = families.get(family);
          byte[] value = db.get(cf, key);
          value[value.length / 2] ^= 0x40;
          db.put(cf, key, value);
        });
  }
}
