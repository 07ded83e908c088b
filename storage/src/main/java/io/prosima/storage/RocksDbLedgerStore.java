package io.prosima.storage;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.SignedVoteRecordData;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.TxLocation;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.Canonical;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Env;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** {@link LedgerStore} on RocksDB, one column family per kind of record. */
public final class RocksDbLedgerStore implements LedgerStore {
  /** Index scans return at most this many entries per page. */
  public static final int PAGE_TXS_MAX = 1000;

  private static final byte[] TIP_KEY = "tip".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] SIGNED_VOTES_KEY =
      "signed_votes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final List<String> FAMILIES =
      List.of(
          "blocks",
          "block_ids",
          "txs",
          "by_image",
          "by_signer",
          "state",
          "fragments",
          // tx hash -> tx bytes, so a listing reads one tx, not its whole block.
          "tx_bodies",
          // height -> header, certificate and tx hashes (BlockTxIndexRecord), so a tx's inclusion
          // proof is answered without parsing its block.
          "block_tx_index",
          // block id -> block, for the signed-vote record's proposal and lock (VoteRecordBlocks).
          "vote_blocks");

  static {
    RocksDB.loadLibrary();
  }

  private final Path dir;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles;
  private final ColumnFamilyHandle meta;
  private final ColumnFamilyHandle blocks;
  private final ColumnFamilyHandle blockIds;
  private final ColumnFamilyHandle txs;
  private final ColumnFamilyHandle byImage;
  private final ColumnFamilyHandle bySigner;
  private final ColumnFamilyHandle state;
  private final ColumnFamilyHandle txBodies;
  private final ColumnFamilyHandle blockTxIndex;
  private final ColumnFamilyHandle voteBlocks;
  private final WriteOptions syncWrite;
  private final RocksDbFragmentStore fragments;

  // Blocks parsed from storage since open: queries that need a header or one tx must not parse a
  // whole block (up to block_bytes_max), and tests check that they do not.
  private final java.util.concurrent.atomic.AtomicLong blocksParsed =
      new java.util.concurrent.atomic.AtomicLong();

  // What this store handed RocksDB to write (batch data sizes), for the node's metrics.
  private final java.util.concurrent.atomic.AtomicLong bytesWritten =
      new java.util.concurrent.atomic.AtomicLong();

  // Ids of the blocks in vote_blocks; guarded by this object's lock.
  private java.util.Set<ByteString> voteBlockIds;

  // The tip is read on every query; it changes only in commit(), under this object's lock.
  private volatile Tip tip;
  // Guarded by this object's lock: a checkpoint must not touch a closed database.
  private boolean closed;

  // timeMs is the last block's header time, kept so status queries need not parse that block.
  private record Tip(long height, byte[] blockId, byte[] stateHash, long timeMs) {}

  private RocksDbLedgerStore(Path dir, Env env) throws StorageException {
    this.dir = dir;
    this.dbOptions =
        new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setParanoidChecks(true);
    if (env != null) {
      dbOptions.setEnv(env);
    }
    this.cfOptions = new ColumnFamilyOptions();
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
    for (String name : FAMILIES) {
      descriptors.add(
          new ColumnFamilyDescriptor(
              name.getBytes(java.nio.charset.StandardCharsets.US_ASCII), cfOptions));
    }
    this.handles = new ArrayList<>();
    try {
      if (env == null) {
        Files.createDirectories(dir);
      }
      this.db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    } catch (RocksDBException | java.io.IOException e) {
      dbOptions.close();
      cfOptions.close();
      throw new StorageException("cannot open ledger store at " + dir + ": " + e.getMessage(), e);
    }
    this.meta = handles.get(0);
    this.blocks = handles.get(1);
    this.blockIds = handles.get(2);
    this.txs = handles.get(3);
    this.byImage = handles.get(4);
    this.bySigner = handles.get(5);
    this.state = handles.get(6);
    this.syncWrite = new WriteOptions().setSync(true);
    this.fragments = new RocksDbFragmentStore(db, handles.get(7), syncWrite);
    this.txBodies = handles.get(8);
    this.blockTxIndex = handles.get(9);
    this.voteBlocks = handles.get(10);
    this.voteBlockIds = readVoteBlockIds();
    this.tip = readTip();
  }

  /** Opens (or creates) the store in {@code dir}. Only one process may hold it open. */
  public static RocksDbLedgerStore open(Path dir) throws StorageException {
    return checked(new RocksDbLedgerStore(dir, null));
  }

  /**
   * Opens (or creates) a store kept in memory by {@code env} (a {@link org.rocksdb.RocksMemEnv})
   * under {@code name}: the deterministic simulator's disk. What was committed survives closing and
   * reopening while {@code env} lives, as a disk survives a crash; every write is synced, so a
   * crash loses nothing a write returned for, in memory as on disk.
   */
  public static RocksDbLedgerStore openInMemory(Env env, String name) throws StorageException {
    return checked(new RocksDbLedgerStore(Path.of("/" + name), env));
  }

  private static RocksDbLedgerStore checked(RocksDbLedgerStore store) throws StorageException {
    try {
      store.checkTip();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  /** The tip must point at a stored block whose id matches: a cheap check of the last commit. */
  private void checkTip() {
    Tip t = tip;
    if (t.height() == 0) {
      return;
    }
    CommittedBlock last =
        block(t.height())
            .orElseThrow(
                () ->
                    new StorageCorruptionException(
                        "storage corruption: tip names height " + t.height() + " but no block"));
    if (!Arrays.equals(BlockCodec.blockId(last.getBlock().getHeader()), t.blockId())) {
      throw new StorageCorruptionException(
          "storage corruption: block at tip height " + t.height() + " does not match the tip id");
    }
    tip = new Tip(t.height(), t.blockId(), t.stateHash(), last.getBlock().getHeader().getTimeMs());
  }

  private Tip readTip() {
    byte[] raw = get(meta, TIP_KEY, "meta/tip");
    if (raw == null) {
      return new Tip(0, null, null, 0);
    }
    if (raw.length != Long.BYTES + 64) {
      throw new StorageCorruptionException("storage corruption: tip record has wrong length");
    }
    ByteBuffer b = ByteBuffer.wrap(raw);
    long height = b.getLong();
    byte[] id = new byte[32];
    byte[] stateHash = new byte[32];
    b.get(id).get(stateHash);
    // The block time is filled in by checkTip, which reads the tip's block once at open.
    return new Tip(height, id, stateHash, 0);
  }

  private byte[] get(ColumnFamilyHandle cf, byte[] key, String where) {
    try {
      byte[] raw = db.get(cf, key);
      return raw == null ? null : Checksummed.unwrap(raw, where);
    } catch (RocksDBException e) {
      throw new StorageCorruptionException(
          "storage read failed in " + where + ": " + e.getMessage(), e);
    }
  }

  /** The image fragments this node holds, in the same database (closed with this store). */
  public FragmentStore fragments() {
    return fragments;
  }

  @Override
  public long height() {
    return tip.height();
  }

  @Override
  public Optional<byte[]> lastStateHash() {
    Tip t = tip;
    return t.height() == 0 ? Optional.empty() : Optional.of(t.stateHash().clone());
  }

  @Override
  public Optional<byte[]> lastBlockId() {
    Tip t = tip;
    return t.height() == 0 ? Optional.empty() : Optional.of(t.blockId().clone());
  }

  @Override
  public OptionalLong lastBlockTimeMs() {
    Tip t = tip;
    return t.height() == 0 ? OptionalLong.empty() : OptionalLong.of(t.timeMs());
  }

  @Override
  public Optional<CommittedBlock> block(long height) {
    if (height < 1) {
      return Optional.empty();
    }
    String where = "blocks at height " + height + " (" + dir + ")";
    byte[] raw = get(blocks, u64(height), where);
    if (raw == null) {
      return Optional.empty();
    }
    CommittedBlock block;
    blocksParsed.incrementAndGet();
    try {
      block = CommittedBlock.parseFrom(raw);
    } catch (InvalidProtocolBufferException e) {
      throw new StorageCorruptionException("storage corruption: unparsable block in " + where, e);
    }
    var header = block.getBlock().getHeader();
    if (header.getHeight() != height) {
      throw new StorageCorruptionException("storage corruption: block header mismatch in " + where);
    }
    if (header.getTxCount() != block.getBlock().getTxsCount()) {
      if (block.getBlock().getTxsCount() != 0) {
        throw new StorageCorruptionException(
            "storage corruption: block header mismatch in " + where);
      }
      block = withTxs(block, height, where);
    }
    return Optional.of(block);
  }

  /** A committed block as stored: its transactions are kept once, in tx_bodies. */
  private static CommittedBlock withoutTxs(CommittedBlock committed) {
    CommittedBlock.Builder b = committed.toBuilder();
    b.getBlockBuilder().clearTxs();
    return b.build();
  }

  /** Puts back the transactions of a block stored without them, in block order. */
  private CommittedBlock withTxs(CommittedBlock stored, long height, String where) {
    byte[] rawIndex = get(blockTxIndex, u64(height), "block_tx_index at height " + height);
    if (rawIndex == null) {
      throw new StorageCorruptionException("storage corruption: no tx index for " + where);
    }
    List<byte[]> hashes = BlockTxIndexRecord.decode(rawIndex, height, where).txHashes();
    if (hashes.size() != stored.getBlock().getHeader().getTxCount()) {
      throw new StorageCorruptionException("storage corruption: tx index mismatch in " + where);
    }
    List<byte[]> bodies;
    try {
      bodies = db.multiGetAsList(java.util.Collections.nCopies(hashes.size(), txBodies), hashes);
    } catch (RocksDBException e) {
      throw new StorageCorruptionException(
          "storage read failed in tx_bodies: " + e.getMessage(), e);
    }
    CommittedBlock.Builder b = stored.toBuilder();
    Block.Builder block = b.getBlockBuilder();
    for (byte[] raw : bodies) {
      if (raw == null) {
        throw new StorageCorruptionException(
            "storage corruption: a tx of " + where + " is missing");
      }
      try {
        block.addTxs(Transaction.parseFrom(Checksummed.unwrap(raw, "tx_bodies")));
      } catch (InvalidProtocolBufferException e) {
        throw new StorageCorruptionException("storage corruption: unparsable tx in tx_bodies", e);
      }
    }
    return b.build();
  }

  /** Whole blocks parsed since the store opened (for metrics and tests). */
  public long blocksParsed() {
    return blocksParsed.get();
  }

  @Override
  public OptionalLong heightOf(byte[] blockId) {
    byte[] raw = get(blockIds, blockId, "block_ids");
    if (raw == null) {
      return OptionalLong.empty();
    }
    if (raw.length != Long.BYTES) {
      throw new StorageCorruptionException("storage corruption: block id record has wrong length");
    }
    return OptionalLong.of(ByteBuffer.wrap(raw).getLong());
  }

  @Override
  public Optional<TxLocation> txLocation(byte[] txHash) {
    byte[] raw = get(txs, txHash, "txs");
    if (raw == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(TxLocation.parseFrom(raw));
    } catch (InvalidProtocolBufferException e) {
      throw new StorageCorruptionException("storage corruption: unparsable tx location", e);
    }
  }

  @Override
  public Optional<Transaction> tx(byte[] txHash) {
    byte[] raw = get(txBodies, txHash, "tx_bodies");
    if (raw == null) {
      // Blocks committed before tx_bodies existed: the tx is only in its block.
      Optional<TxLocation> at = txLocation(txHash);
      if (at.isEmpty()) {
        return Optional.empty();
      }
      var block =
          block(at.get().getHeight())
              .orElseThrow(
                  () ->
                      new StorageCorruptionException(
                          "storage corruption: tx location names no block"));
      if (at.get().getIndex() >= block.getBlock().getTxsCount()) {
        throw new StorageCorruptionException("storage corruption: tx index points past its block");
      }
      return Optional.of(block.getBlock().getTxs(at.get().getIndex()));
    }
    try {
      return Optional.of(Transaction.parseFrom(raw));
    } catch (InvalidProtocolBufferException e) {
      throw new StorageCorruptionException("storage corruption: unparsable tx in tx_bodies", e);
    }
  }

  @Override
  public Optional<BlockTxIndex> blockTxIndex(long height) {
    if (height < 1) {
      return Optional.empty();
    }
    String where = "block_tx_index at height " + height + " (" + dir + ")";
    byte[] raw = get(blockTxIndex, u64(height), where);
    if (raw == null) {
      // Blocks committed before block_tx_index existed: fall back to parsing the block (and
      // hashing its txs), as every proof query did before. Such heights stay on this slow path;
      // nothing rewrites them.
      return block(height)
          .map(
              b ->
                  new BlockTxIndex(
                      b.getBlock().getHeader(),
                      b.getCommit(),
                      BlockCodec.txHashes(b.getBlock().getTxsList())));
    }
    return Optional.of(BlockTxIndexRecord.decode(raw, height, where));
  }

  @Override
  public TxPage txsByImage(String imageId, byte[] pageToken, int limit) {
    return scan(byImage, TxIndexKeys.imagePrefix(imageId), pageToken, limit, "by_image");
  }

  @Override
  public TxPage txsBySigner(ByteString signer, byte[] pageToken, int limit) {
    return scan(bySigner, TxIndexKeys.prefix(signer.toByteArray()), pageToken, limit, "by_signer");
  }

  private TxPage scan(
      ColumnFamilyHandle cf, byte[] prefix, byte[] pageToken, int limit, String where) {
    if (limit < 1 || limit > PAGE_TXS_MAX) {
      throw new IllegalArgumentException("page size must be 1.." + PAGE_TXS_MAX);
    }
    if (pageToken.length != 0 && pageToken.length != TxIndexKeys.POSITION_BYTES) {
      throw new IllegalArgumentException("page token is not one this node issued");
    }
    byte[] start;
    if (pageToken.length == 0) {
      start = prefix;
    } else {
      ByteBuffer t = ByteBuffer.wrap(pageToken);
      long h = t.getLong();
      int i = t.getInt();
      // Start just after the last returned position.
      start = TxIndexKeys.key(prefix, h, i);
      start = Arrays.copyOf(start, start.length + 1);
    }
    List<TxRef> out = new ArrayList<>();
    byte[] next = new byte[0];
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(cf, ro)) {
      for (it.seek(start); it.isValid(); it.next()) {
        byte[] key = it.key();
        // The prefix ends in 0x00 and ids never contain 0x00, so every key that starts with the
        // prefix belongs to this id and no other.
        if (key.length < prefix.length
            || !Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) {
          break;
        }
        if (key.length != prefix.length + TxIndexKeys.POSITION_BYTES) {
          throw new StorageCorruptionException("storage corruption: bad index key in " + where);
        }
        if (out.size() == limit) {
          next = lastPosition(out);
          break;
        }
        byte[] hash = Checksummed.unwrap(it.value(), where);
        if (hash.length != 32) {
          throw new StorageCorruptionException("storage corruption: bad tx hash in " + where);
        }
        ByteBuffer pos = ByteBuffer.wrap(key, prefix.length, TxIndexKeys.POSITION_BYTES);
        out.add(new TxRef(hash, pos.getLong(), pos.getInt()));
      }
    }
    return new TxPage(out, next);
  }

  private static byte[] lastPosition(List<TxRef> refs) {
    TxRef last = refs.get(refs.size() - 1);
    return ByteBuffer.allocate(TxIndexKeys.POSITION_BYTES)
        .putLong(last.height())
        .putInt(last.index())
        .array();
  }

  @Override
  public byte[] state(byte[] key) {
    return get(state, key, "state");
  }

  @Override
  public synchronized void commit(
      CommittedBlock committed,
      byte[] blockId,
      List<byte[]> txHashes,
      SortedMap<byte[], byte[]> writes)
      throws StorageException {
    var block = committed.getBlock();
    var header = block.getHeader();
    Tip current = tip;
    // Broken invariants, not operating errors: the caller built this block on the tip.
    if (header.getHeight() != current.height() + 1) {
      throw new IllegalStateException(
          "commit of height " + header.getHeight() + " on a store at " + current.height());
    }
    byte[] expectedPrevious = current.height() == 0 ? new byte[32] : current.blockId();
    if (!Arrays.equals(header.getPreviousHash().toByteArray(), expectedPrevious)) {
      throw new IllegalStateException("block does not extend the stored tip");
    }
    if (txHashes.size() != block.getTxsCount() || committed.getStateHashAfter().size() != 32) {
      throw new IllegalStateException("commit needs one hash per tx and a 32-byte state hash");
    }
    long height = header.getHeight();
    try (WriteBatch batch = new WriteBatch()) {
      // The block without its txs: they are in tx_bodies, found through block_tx_index.
      batch.put(blocks, u64(height), Checksummed.wrap(Canonical.bytes(withoutTxs(committed))));
      batch.put(blockIds, blockId, Checksummed.wrap(u64(height)));
      batch.put(
          blockTxIndex,
          u64(height),
          Checksummed.wrap(BlockTxIndexRecord.encode(header, committed.getCommit(), txHashes)));
      for (int i = 0; i < block.getTxsCount(); i++) {
        Transaction tx = block.getTxs(i);
        byte[] hash = txHashes.get(i);
        byte[] location =
            TxLocation.newBuilder().setHeight(height).setIndex(i).build().toByteArray();
        batch.put(txs, hash, Checksummed.wrap(location));
        batch.put(txBodies, hash, Checksummed.wrap(Canonical.bytes(tx)));
        byte[] wrappedHash = Checksummed.wrap(hash);
        batch.put(
            bySigner,
            TxIndexKeys.key(TxIndexKeys.prefix(tx.getSigner().toByteArray()), height, i),
            wrappedHash);
        Optional<String> imageId = TxImageIds.imageIdOf(tx);
        if (imageId.isPresent()) {
          batch.put(
              byImage,
              TxIndexKeys.key(TxIndexKeys.imagePrefix(imageId.get()), height, i),
              wrappedHash);
        }
      }
      for (Map.Entry<byte[], byte[]> w : writes.entrySet()) {
        if (w.getValue() == null) {
          batch.delete(state, w.getKey());
        } else {
          batch.put(state, w.getKey(), Checksummed.wrap(w.getValue()));
        }
      }
      byte[] tipRecord =
          ByteBuffer.allocate(Long.BYTES + 64)
              .putLong(height)
              .put(blockId)
              .put(committed.getStateHashAfter().toByteArray())
              .array();
      batch.put(meta, TIP_KEY, Checksummed.wrap(tipRecord));
      db.write(syncWrite, batch);
      bytesWritten.addAndGet(batch.getDataSize());
    } catch (RocksDBException e) {
      throw new StorageException("commit of height " + height + " failed: " + e.getMessage(), e);
    }
    tip =
        new Tip(
            height,
            blockId.clone(),
            committed.getStateHashAfter().toByteArray(),
            header.getTimeMs());
  }

  @Override
  public Optional<SignedVoteRecordData> signedVotes() {
    byte[] raw = get(meta, SIGNED_VOTES_KEY, "meta/signed_votes");
    if (raw == null) {
      return Optional.empty();
    }
    SignedVoteRecordData written;
    try {
      written = SignedVoteRecordData.parseFrom(raw);
    } catch (InvalidProtocolBufferException e) {
      throw new StorageCorruptionException("storage corruption: unreadable signed-vote record");
    }
    return Optional.of(VoteRecordBlocks.restore(written, this::voteBlock));
  }

  private Block voteBlock(ByteString id) {
    byte[] raw = get(voteBlocks, id.toByteArray(), "vote_blocks");
    if (raw == null) {
      return null;
    }
    try {
      return Block.parseFrom(raw);
    } catch (InvalidProtocolBufferException e) {
      throw new StorageCorruptionException("storage corruption: unreadable signed-vote block");
    }
  }

  /**
   * Writes the record without its blocks and, in the same synced batch, each block it names that is
   * not stored yet; blocks it no longer names are deleted (see {@link VoteRecordBlocks}).
   */
  @Override
  public synchronized void saveSignedVotes(SignedVoteRecordData record) throws StorageException {
    Map<ByteString, Block> named = VoteRecordBlocks.blocksOf(record);
    try (WriteBatch batch = new WriteBatch()) {
      for (Map.Entry<ByteString, Block> b : named.entrySet()) {
        if (!voteBlockIds.contains(b.getKey())) {
          batch.put(
              voteBlocks, b.getKey().toByteArray(), Checksummed.wrap(b.getValue().toByteArray()));
        }
      }
      for (ByteString id : voteBlockIds) {
        if (!named.containsKey(id)) {
          batch.delete(voteBlocks, id.toByteArray());
        }
      }
      batch.put(
          meta, SIGNED_VOTES_KEY, Checksummed.wrap(VoteRecordBlocks.strip(record).toByteArray()));
      db.write(syncWrite, batch);
      bytesWritten.addAndGet(batch.getDataSize());
    } catch (RocksDBException e) {
      throw new StorageException("cannot write the signed-vote record: " + e.getMessage(), e);
    }
    voteBlockIds = java.util.Set.copyOf(named.keySet());
  }

  private java.util.Set<ByteString> readVoteBlockIds() {
    java.util.Set<ByteString> ids = new java.util.HashSet<>();
    try (RocksIterator it = db.newIterator(voteBlocks)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        ids.add(ByteString.copyFrom(it.key()));
      }
    }
    return ids;
  }

  /** Blocks kept for the signed-vote record (tests: old ones must be deleted). */
  synchronized int voteBlockCount() {
    return readVoteBlockIds().size();
  }

  @Override
  public long bytesWritten() {
    return bytesWritten.get();
  }

  /**
   * Writes a consistent copy of the whole database (every column family: blocks, indexes, state,
   * the consensus WAL and the image fragments) into {@code target}, which must not exist yet, and
   * returns the height it holds. RocksDB hard-links the immutable table files when {@code target}
   * is on the same file system, so this is cheap while the node runs; commits wait for it, so the
   * returned height is the copy's tip.
   */
  public synchronized long checkpoint(Path target) throws StorageException {
    if (closed) {
      throw new StorageException("cannot write a checkpoint of " + dir + ": the store is closed");
    }
    try (Checkpoint cp = Checkpoint.create(db)) {
      cp.createCheckpoint(target.toString());
    } catch (RocksDBException e) {
      throw new StorageException(
          "cannot write a checkpoint of " + dir + " to " + target + ": " + e.getMessage(), e);
    }
    return tip.height();
  }

  private static byte[] u64(long v) {
    return ByteBuffer.allocate(Long.BYTES).putLong(v).array();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    syncWrite.close();
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    db.close();
    dbOptions.close();
    cfOptions.close();
  }
}
