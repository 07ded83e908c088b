package io.prosima.storage;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.SignedVoteRecordData;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.TxLocation;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;

/**
 * The node's durable ledger: committed blocks with their certificates, transaction indexes and
 * state. Reads are checked (checksums, heights); a failed check throws {@link
 * StorageCorruptionException}. Safe for concurrent readers and one writer.
 */
public interface LedgerStore extends AutoCloseable {
  /** Height of the last committed block; 0 when none. */
  long height();

  /** State hash after the last committed block, or empty before the first. */
  Optional<byte[]> lastStateHash();

  /** Block id of the last committed block, or empty before the first. */
  Optional<byte[]> lastBlockId();

  /** Header time of the last committed block, or empty before the first; parses no block. */
  OptionalLong lastBlockTimeMs();

  Optional<CommittedBlock> block(long height);

  OptionalLong heightOf(byte[] blockId);

  Optional<TxLocation> txLocation(byte[] txHash);

  /** A committed transaction by its hash, read without parsing its block; empty if unknown. */
  Optional<Transaction> tx(byte[] txHash);

  /**
   * What an inclusion proof for a transaction of the block at {@code height} needs: the block's
   * header, its commit certificate and its tx hashes in order, read without parsing the block
   * (except for blocks committed before this record was kept); empty if there is no such block.
   */
  Optional<BlockTxIndex> blockTxIndex(long height);

  /** Transactions naming an image id, oldest first. {@code pageToken} empty for the first page. */
  TxPage txsByImage(String imageId, byte[] pageToken, int limit);

  /** Transactions signed by a key, oldest first. */
  TxPage txsBySigner(ByteString signer, byte[] pageToken, int limit);

  /** A state value, or null. */
  byte[] state(byte[] key);

  /**
   * Commits the next block in one atomic, synced write: the block, its id and tx indexes (including
   * the {@link #blockTxIndex} record), the state writes (null value = delete) and the new tip. When
   * this returns, the block survives a crash; if the process dies before, none of it is visible.
   *
   * @param txHashes the hash ({@code TxCodec.hash}) of each transaction of the block, in order: the
   *     leaves of the header's tx root, from which inclusion proofs are built
   */
  void commit(
      CommittedBlock block, byte[] blockId, List<byte[]> txHashes, SortedMap<byte[], byte[]> writes)
      throws StorageException;

  /**
   * The consensus WAL: what this validator last signed, or empty on a fresh node. See {@link
   * #saveSignedVotes}.
   */
  Optional<SignedVoteRecordData> signedVotes();

  /**
   * Replaces the consensus WAL record with a synced write. A validator calls this before sending
   * any vote or proposal, so a restart never signs a second, conflicting message.
   */
  void saveSignedVotes(SignedVoteRecordData record) throws StorageException;

  /**
   * Bytes handed to the database for writing since open (blocks, indexes, state, the consensus
   * WAL), before its own write amplification: a figure for benchmarks and metrics.
   */
  long bytesWritten();

  @Override
  void close();
}
