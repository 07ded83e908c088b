package io.prosima.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.CommittedBlock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncStateTest {
  private static final long TIMEOUT = 2_000;
  private static final ByteString A = ByteString.copyFromUtf8("a");
  private static final ByteString B = ByteString.copyFromUtf8("b");

  private final SyncState sync = new SyncState(TIMEOUT);

  private static List<CommittedBlock> blocks(long from, long to) {
    return java.util.stream.LongStream.rangeClosed(from, to).mapToObj(TestNodes::block).toList();
  }

  @Test
  void asksTheHighestNeighbourForTheNextHeight() {
    SyncState.Request r = sync.next(5, Map.of(A, 7L, B, 9L), 0);

    assertEquals(new SyncState.Request(B, 6, SyncState.BLOCKS_PER_REQUEST_MAX), r);
  }

  @Test
  void asksNothingWhenNoNeighbourIsAhead() {
    assertNull(sync.next(9, Map.of(A, 7L, B, 9L), 0));
  }

  @Test
  void keepsOneRequestOutstandingUntilTheTimeout() {
    sync.next(0, Map.of(A, 10L), 0);

    assertNull(sync.next(0, Map.of(A, 10L), TIMEOUT - 1));
    assertEquals(1, sync.next(0, Map.of(A, 10L), TIMEOUT).fromHeight());
  }

  @Test
  void acceptsOnlyConsecutiveBlocksFromTheAskedPeerAndHeight() {
    sync.next(0, Map.of(A, 10L), 0);
    assertFalse(sync.accept(B, blocks(1, 3), 1), "not asked");

    sync.next(0, Map.of(A, 10L), TIMEOUT);
    assertFalse(sync.accept(A, blocks(2, 4), TIMEOUT + 1), "wrong start");

    sync.next(0, Map.of(A, 10L), TIMEOUT + 2);
    assertFalse(sync.accept(A, List.of(TestNodes.block(1), TestNodes.block(3)), TIMEOUT + 3));

    sync.next(0, Map.of(A, 10L), TIMEOUT + 4);
    assertTrue(sync.accept(A, blocks(1, 4), TIMEOUT + 5));
    assertFalse(sync.accept(A, blocks(1, 4), TIMEOUT + 6), "answered already");
  }

  @Test
  void doesNotAskAgainForBlocksDeliveredButNotYetApplied() {
    sync.next(0, Map.of(A, 10L), 0);
    assertTrue(sync.accept(A, blocks(1, 4), 1));

    // The node has not applied them yet (height still 0): continue after them.
    assertEquals(5, sync.next(0, Map.of(A, 10L), 2).fromHeight());
  }

  @Test
  void asksAgainFromOurHeightOnceDeliveredBlocksAreStale() {
    sync.next(0, Map.of(A, 10L), 0);
    assertTrue(sync.accept(A, blocks(1, 4), 1));
    sync.next(0, Map.of(A, 10L), 2);

    // Blocks 1..4 were refused by the node (height still 0) and the request timed out.
    assertEquals(1, sync.next(0, Map.of(A, 10L), 2 + TIMEOUT).fromHeight());
  }

  @Test
  void aDisconnectedPeerNoLongerBlocksTheNextRequest() {
    sync.next(0, Map.of(A, 10L, B, 9L), 0);
    sync.peerGone(A);

    assertEquals(B, sync.next(0, Map.of(B, 9L), 1).peer());
  }
}
