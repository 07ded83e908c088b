package io.prosima.node.fragments;

import io.prosima.proto.v1.ImageRecord;
import io.prosima.storage.FragmentId;
import io.prosima.storage.FragmentInfo;
import io.prosima.storage.StorageException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One garbage-collection pass: deletes fragments nobody will read and recounts what is left. A
 * fragment goes when
 *
 * <ul>
 *   <li>its image is not anchored and it is older than the orphan TTL (an abandoned ingest);
 *   <li>its image is anchored by an identity other than its uploader;
 *   <li>its key epoch is below the image's current one (retired by a rekey);
 *   <li>its key epoch is above the current one and it is older than the TTL (an abandoned rekey).
 * </ul>
 *
 * The pass holds the fragment lock, so puts wait for it; it reads committed state per image.
 */
final class FragmentGc {
  private static final Logger log = LoggerFactory.getLogger(FragmentGc.class);

  private final Fragments f;

  FragmentGc(Fragments fragments) {
    this.f = fragments;
  }

  /** Returns the number of fragments deleted; failures are logged and retried next pass. */
  int pass() {
    try {
      synchronized (f.lock) {
        return collect();
      }
    } catch (StorageException | RuntimeException e) {
      log.error("fragment garbage collection failed, next pass retries: {}", e.getMessage());
      return 0;
    }
  }

  private int collect() throws StorageException {
    long now = f.clock.millis();
    Map<String, Optional<ImageRecord>> images = new HashMap<>();
    List<FragmentId> doomed = new ArrayList<>();
    FragmentAccounting kept = new FragmentAccounting();
    f.store.scan(
        info -> {
          Optional<ImageRecord> image =
              images.computeIfAbsent(info.id().imageId(), f.access::image);
          if (doomed.size() < FragmentLimits.GC_DELETES_PER_PASS_MAX
              && collectable(info, image, now)) {
            doomed.add(info.id());
          } else {
            kept.added(info);
          }
          return true;
        });
    for (int from = 0; from < doomed.size(); from += FragmentLimits.GC_DELETES_PER_BATCH_MAX) {
      int to = Math.min(doomed.size(), from + FragmentLimits.GC_DELETES_PER_BATCH_MAX);
      f.store.deleteAll(doomed.subList(from, to));
    }
    f.accounting = kept;
    if (!doomed.isEmpty()) {
      f.events.fragmentsDeleted(doomed.size());
      log.info("fragment garbage collection deleted {} fragments", doomed.size());
    }
    return doomed.size();
  }

  private boolean collectable(FragmentInfo info, Optional<ImageRecord> image, long now) {
    boolean expired = now - info.storedAtMs() > f.orphanTtlMs;
    if (image.isEmpty()) {
      return expired;
    }
    ImageRecord record = image.get();
    if (!record.getOwner().equals(info.uploader())) {
      return true;
    }
    long epoch = Integer.toUnsignedLong(info.id().keyEpoch());
    long current = Integer.toUnsignedLong(record.getKeyEpoch());
    return epoch < current || (epoch > current && expired);
  }
}
