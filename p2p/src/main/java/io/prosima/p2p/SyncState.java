package io.prosima.p2p;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.CommittedBlock;
import java.util.List;
import java.util.Map;

/**
 * Decides when to ask which neighbour for blocks: at most one request outstanding, to the neighbour
 * reporting the highest height, retried once the outstanding one is older than the timeout. No I/O;
 * time comes in as nanoseconds. Thread-safe.
 */
final class SyncState {
  static final int BLOCKS_PER_REQUEST_MAX = 64;

  record Request(ByteString peer, long fromHeight, int maxBlocks) {}

  private record Outstanding(ByteString peer, long fromHeight, long sentNanos) {}

  private final long requestTimeoutNanos;
  private Outstanding outstanding;
  // Blocks handed to the node that it may not have applied yet: not asked for again until the
  // timeout, so a node that applies asynchronously does not fetch every batch twice.
  private long deliveredThroughHeight;
  private long deliveredNanos;

  SyncState(long requestTimeoutNanos) {
    this.requestTimeoutNanos = requestTimeoutNanos;
  }

  /** The request to send now, or null when we are not behind or one is still outstanding. */
  synchronized Request next(long ourHeight, Map<ByteString, Long> peerHeights, long nowNanos) {
    if (outstanding != null && nowNanos - outstanding.sentNanos < requestTimeoutNanos) {
      return null;
    }
    ByteString best = null;
    long bestHeight = ourHeight;
    for (var e : peerHeights.entrySet()) {
      if (e.getValue() > bestHeight) {
        best = e.getKey();
        bestHeight = e.getValue();
      }
    }
    if (best == null) {
      outstanding = null;
      return null;
    }
    long from = ourHeight + 1;
    if (deliveredThroughHeight >= from && nowNanos - deliveredNanos < requestTimeoutNanos) {
      from = deliveredThroughHeight + 1;
    }
    if (from > bestHeight) {
      return null;
    }
    outstanding = new Outstanding(best, from, nowNanos);
    return new Request(best, from, BLOCKS_PER_REQUEST_MAX);
  }

  /**
   * A response from {@code peer}: true if it answers our outstanding request with consecutive
   * blocks from the height we asked (deliver them), false if unsolicited or malformed (drop).
   */
  synchronized boolean accept(ByteString peer, List<CommittedBlock> blocks, long nowNanos) {
    if (outstanding == null || !outstanding.peer.equals(peer)) {
      return false;
    }
    long from = outstanding.fromHeight;
    outstanding = null;
    if (blocks.isEmpty() || blocks.size() > BLOCKS_PER_REQUEST_MAX) {
      return false;
    }
    for (int i = 0; i < blocks.size(); i++) {
      if (blocks.get(i).getBlock().getHeader().getHeight() != from + i) {
        return false;
      }
    }
    deliveredThroughHeight = from + blocks.size() - 1;
    deliveredNanos = nowNanos;
    return true;
  }

  /** The neighbour disconnected: do not wait for its answer. */
  synchronized void peerGone(ByteString peer) {
    if (outstanding != null && outstanding.peer.equals(peer)) {
      outstanding = null;
    }
  }
}
