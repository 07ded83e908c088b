package io.prosima.storage;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Encrypted image fragments a validator holds for uploaders (DESIGN.md, provenance pipeline).
 * Values are checksummed; a failed check throws {@link StorageCorruptionException}. Safe for
 * concurrent use; callers serialise the decisions that span several calls.
 */
public interface FragmentStore {
  /**
   * Stores the fragments in one atomic, synced write, replacing any stored under the same ids. When
   * this returns the fragments survive a crash, so a receipt may be signed for them.
   */
  void putAll(List<Fragment> fragments) throws StorageException;

  Optional<Fragment> get(FragmentId id);

  /**
   * Deletes, in one synced write, every fragment of {@code imageId} with a key epoch below this.
   */
  void deleteEpochsBelow(String imageId, int keyEpoch) throws StorageException;

  /** Deletes the named fragments in one synced write (absent ones are ignored). */
  void deleteAll(List<FragmentId> ids) throws StorageException;

  /** Visits every stored fragment in key order, without its bytes, until the visitor says stop. */
  void scan(Predicate<FragmentInfo> visitor);
}
