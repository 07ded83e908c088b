package io.prosima.testnet.sim;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.SignedVoteRecordData;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.TxLocation;
import io.prosima.storage.BlockTxIndex;
import io.prosima.storage.LedgerStore;
import io.prosima.storage.StorageException;
import io.prosima.storage.TxPage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;

/**
 * The node's real RocksDB store, seen through two hooks of the simulator: a crash point right after
 * a vote is made durable (the window the WAL exists for), and the {@link Sabotage}s that break
 * durability on purpose (a forgotten vote record, a block that lost a transaction), so tests can
 * show the checkers catch them. Everything else is passed through unchanged.
 */
final class SimStore implements LedgerStore {
  /** Thrown out of the node's code to crash it at this point. */
  static final class CrashNow extends RuntimeException {
    CrashNow() {
      super(null, null, false, false);
    }
  }

  private final LedgerStore store;
  private final boolean forgetVotes;
  private final Runnable afterPersist;
  private final Map<Long, CommittedBlock> altered = new HashMap<>();

  /**
   * @param forgetVotes report no vote record (Sabotage.FORGET_VOTE_RECORD)
   * @param afterPersist run after each durable vote record; may throw {@link CrashNow}
   */
  SimStore(LedgerStore store, boolean forgetVotes, Runnable afterPersist) {
    this.store = store;
    this.forgetVotes = forgetVotes;
    this.afterPersist = afterPersist;
  }

  /** Sabotage: reads of {@code height} return {@code block} instead. */
  void alter(long height, CommittedBlock block) {
    altered.put(height, block);
  }

  @Override
  public long height() {
    return store.height();
  }

  @Override
  public Optional<byte[]> lastStateHash() {
    return store.lastStateHash();
  }

  @Override
  public Optional<byte[]> lastBlockId() {
    return store.lastBlockId();
  }

  @Override
  public OptionalLong lastBlockTimeMs() {
    return store.lastBlockTimeMs();
  }

  @Override
  public Optional<CommittedBlock> block(long height) {
    CommittedBlock b = altered.get(height);
    return b != null ? Optional.of(b) : store.block(height);
  }

  @Override
  public Optional<BlockTxIndex> blockTxIndex(long height) {
    return store.blockTxIndex(height);
  }

  @Override
  public OptionalLong heightOf(byte[] blockId) {
    return store.heightOf(blockId);
  }

  @Override
  public Optional<TxLocation> txLocation(byte[] txHash) {
    return store.txLocation(txHash);
  }

  @Override
  public Optional<Transaction> tx(byte[] txHash) {
    return store.tx(txHash);
  }

  @Override
  public TxPage txsByImage(String imageId, byte[] pageToken, int limit) {
    return store.txsByImage(imageId, pageToken, limit);
  }

  @Override
  public TxPage txsBySigner(ByteString signer, byte[] pageToken, int limit) {
    return store.txsBySigner(signer, pageToken, limit);
  }

  @Override
  public byte[] state(byte[] key) {
    return store.state(key);
  }

  @Override
  public void commit(
      CommittedBlock block, byte[] blockId, List<byte[]> txHashes, SortedMap<byte[], byte[]> writes)
      throws StorageException {
    store.commit(block, blockId, txHashes, writes);
  }

  @Override
  public Optional<SignedVoteRecordData> signedVotes() {
    return forgetVotes ? Optional.empty() : store.signedVotes();
  }

  @Override
  public void saveSignedVotes(SignedVoteRecordData record) throws StorageException {
    store.saveSignedVotes(record);
    afterPersist.run();
  }

  @Override
  public void close() {
    store.close();
  }

  @Override
  public long bytesWritten() {
    return store.bytesWritten();
  }
}
