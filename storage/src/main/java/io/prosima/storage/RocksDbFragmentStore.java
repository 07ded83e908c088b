package io.prosima.storage;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** {@link FragmentStore} in the ledger's RocksDB, column family {@code fragments}. */
final class RocksDbFragmentStore implements FragmentStore {
  private static final String WHERE = "fragments";

  private final RocksDB db;
  private final ColumnFamilyHandle fragments;
  private final WriteOptions syncWrite;

  RocksDbFragmentStore(RocksDB db, ColumnFamilyHandle fragments, WriteOptions syncWrite) {
    this.db = db;
    this.fragments = fragments;
    this.syncWrite = syncWrite;
  }

  @Override
  public void putAll(List<Fragment> batch) throws StorageException {
    try (WriteBatch wb = new WriteBatch()) {
      for (Fragment f : batch) {
        wb.put(fragments, FragmentKeys.key(f.id()), Checksummed.wrap(FragmentKeys.value(f)));
      }
      db.write(syncWrite, wb);
    } catch (RocksDBException e) {
      throw new StorageException("storing " + batch.size() + " fragments failed: " + e, e);
    }
  }

  @Override
  public Optional<Fragment> get(FragmentId id) {
    byte[] raw;
    try {
      raw = db.get(fragments, FragmentKeys.key(id));
    } catch (RocksDBException e) {
      throw new StorageCorruptionException("storage read failed in fragments: " + e, e);
    }
    if (raw == null) {
      return Optional.empty();
    }
    return Optional.of(FragmentKeys.fragment(id, Checksummed.unwrap(raw, WHERE)));
  }

  @Override
  public void deleteEpochsBelow(String imageId, int keyEpoch) throws StorageException {
    if (keyEpoch == 0) {
      return;
    }
    try {
      db.deleteRange(
          fragments,
          syncWrite,
          FragmentKeys.epochStart(imageId, 0),
          FragmentKeys.epochStart(imageId, keyEpoch));
    } catch (RocksDBException e) {
      throw new StorageException("deleting retired fragments failed: " + e, e);
    }
  }

  @Override
  public void deleteAll(List<FragmentId> ids) throws StorageException {
    try (WriteBatch wb = new WriteBatch()) {
      for (FragmentId id : ids) {
        wb.delete(fragments, FragmentKeys.key(id));
      }
      db.write(syncWrite, wb);
    } catch (RocksDBException e) {
      throw new StorageException("deleting " + ids.size() + " fragments failed: " + e, e);
    }
  }

  @Override
  public void scan(Predicate<FragmentInfo> visitor) {
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(fragments, ro)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] key = it.key();
        byte[] value = Checksummed.unwrap(it.value(), WHERE);
        if (!visitor.test(FragmentKeys.info(FragmentKeys.id(key), value))) {
          return;
        }
      }
      try {
        it.status();
      } catch (RocksDBException e) {
        throw new StorageCorruptionException("storage read failed in fragments: " + e, e);
      }
    }
  }
}
