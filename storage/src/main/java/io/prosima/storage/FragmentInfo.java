package io.prosima.storage;

import com.google.protobuf.ByteString;

/** What the store knows about a fragment besides its bytes (for quotas and garbage collection). */
public record FragmentInfo(
    FragmentId id, ByteString uploader, long storedAtMs, ByteString sha256, int dataBytes) {}
