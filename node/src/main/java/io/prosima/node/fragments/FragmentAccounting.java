package io.prosima.node.fragments;

import com.google.protobuf.ByteString;
import io.prosima.storage.FragmentInfo;
import io.prosima.storage.FragmentStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Counters derived from the stored fragments: bytes per uploader (for the quota), totals (for
 * metrics) and, per image id, who holds its key-epoch-0 fragments (the claim on an id nobody has
 * anchored yet). Rebuilt by a full scan at start and on every garbage-collection pass; kept up to
 * date in between by the callers, which hold the fragment lock.
 */
final class FragmentAccounting {
  /** The uploader of an image's newest epoch-0 fragment, and when it was stored. */
  record Claim(ByteString uploader, long newestStoredAtMs) {}

  private final Map<ByteString, Long> bytesByUploader = new HashMap<>();
  private final Map<String, Claim> claims = new HashMap<>();
  // Read by metrics threads without the lock.
  private volatile long bytes;
  private volatile long fragments;

  static FragmentAccounting recount(FragmentStore store) {
    FragmentAccounting a = new FragmentAccounting();
    store.scan(
        info -> {
          a.added(info);
          return true;
        });
    return a;
  }

  void added(FragmentInfo info) {
    bytesByUploader.merge(info.uploader(), (long) info.dataBytes(), Long::sum);
    bytes += info.dataBytes();
    fragments++;
    if (info.id().keyEpoch() == 0) {
      claims.merge(
          info.id().imageId(),
          new Claim(info.uploader(), info.storedAtMs()),
          (old, now) -> now.newestStoredAtMs() >= old.newestStoredAtMs() ? now : old);
    }
  }

  /** A fragment was replaced or deleted. Claims are only rebuilt by a recount. */
  void removed(FragmentInfo info) {
    long left = bytesByUploader.getOrDefault(info.uploader(), 0L) - info.dataBytes();
    if (left < 0) {
      throw new IllegalStateException("fragment byte count of an uploader went negative");
    }
    if (left == 0) {
      bytesByUploader.remove(info.uploader());
    } else {
      bytesByUploader.put(info.uploader(), left);
    }
    bytes -= info.dataBytes();
    fragments--;
  }

  long bytesOf(ByteString uploader) {
    return bytesByUploader.getOrDefault(uploader, 0L);
  }

  Optional<Claim> claim(String imageId) {
    return Optional.ofNullable(claims.get(imageId));
  }

  long bytes() {
    return bytes;
  }

  long fragments() {
    return fragments;
  }
}
