package io.prosima.storage;

import com.google.protobuf.ByteString;

/** A stored fragment: its bytes and who uploaded them when. {@code sha256} is of {@code data}. */
public record Fragment(
    FragmentId id, ByteString uploader, long storedAtMs, ByteString sha256, ByteString data) {
  public FragmentInfo info() {
    return new FragmentInfo(id, uploader, storedAtMs, sha256, data.size());
  }
}
