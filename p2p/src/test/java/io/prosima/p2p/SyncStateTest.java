package io.prosima.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

  private static final long ANSWER_BYTES = 1_000;
  private static final long LEAD = 100;

  // Room for many answers: the tests of the byte bound make their own.
  private final SyncState sync = new SyncState(TIMEOUT, 100 * ANSWER_BYTES, ANSWER_BYTES, LEAD);

  private static List<CommittedBlock> blocks(long from, long to) {
    return java.util.stream.LongStream.rangeClosed(from, to).mapToObj(TestNodes::block).toList();
  }

  @Test
  void asksANeighbourAheadForTheNextHeightUpToItsClaim() {
    SyncState.Request r = sync.next(5, Map.of(A, 7L, B, 100L), 0);

    assertEquals(6, r.fromHeight());
    assertEquals(r.peer().equals(A) ? 2 : SyncState.BLOCKS_PER_REQUEST_MAX, r.maxBlocks());
  }

  @Test
  void rotatesAmongNeighboursAheadRatherThanAlwaysAskingTheHighestClaim() {
    ByteString first = sync.next(0, Map.of(A, 10L, B, 1_000L), 0).peer();
    assertTrue(sync.accept(first, blocks(1, 1), ANSWER_BYTES, 1));

    ByteString second = sync.next(0, Map.of(A, 10L, B, 1_000L), 2).peer();

    assertTrue(!first.equals(second), "both neighbours take turns");
  }

  @Test
  void aNeighbourThatAnswersEmptyLosesItsTurnToAnotherAhead() {
    // A (the liar) claims far more than B; keys order puts A first.
    assertEquals(A, sync.next(0, Map.of(A, 1_000L, B, 10L), 0).peer());
    assertFalse(sync.accept(A, List.of(), 10, 1));

    assertEquals(B, sync.next(0, Map.of(A, 1_000L, B, 10L), 2).peer());
    assertTrue(sync.score(A) < sync.score(B));
  }

  @Test
  void aNeighbourThatDoesNotAnswerInTimeLosesItsTurnToAnotherAhead() {
    assertEquals(A, sync.next(0, Map.of(A, 1_000L, B, 10L), 0).peer());

    assertEquals(B, sync.next(0, Map.of(A, 1_000L, B, 10L), TIMEOUT).peer());
  }

  @Test
  void blocksTheNodeRefusedCostTheSenderItsTurnAndAreAskedForAgain() {
    assertEquals(A, sync.next(0, Map.of(A, 1_000L, B, 10L), 0).peer());
    assertTrue(sync.accept(A, blocks(1, 4), ANSWER_BYTES, 1));
    sync.refused(A, 2);

    SyncState.Request r = sync.next(0, Map.of(A, 1_000L, B, 10L), 2);
    assertEquals(B, r.peer());
    assertEquals(1, r.fromHeight(), "refused blocks are not counted as delivered");
  }

  @Test
  void aClaimFarAboveEveryOtherCountsOnlyUpToTheLeadCap() {
    SyncState capped = new SyncState(TIMEOUT, 100 * ANSWER_BYTES, ANSWER_BYTES, 4);

    SyncState.Request r = capped.next(0, Map.of(A, 1_000_000L, B, 2L), 0);

    assertEquals(A, r.peer());
    assertEquals(6, r.maxBlocks(), "B's 2 plus a lead of 4, not a million");
  }

  @Test
  void aClaimNearTheLargestHeightDoesNotStopTheOthersBeingAsked() {
    // Found by SyncClaimsFuzzTest: the cap on B's claim was A's claim plus the lead, which wrapped
    // negative near Long.MAX_VALUE, so B looked behind us once the liar A was benched.
    Map<ByteString, Long> claims = Map.of(A, Long.MAX_VALUE - 1, B, 10L);
    assertEquals(A, sync.next(0, claims, 0).peer());
    assertFalse(sync.accept(A, List.of(), 10, 1));

    SyncState.Request r = sync.next(0, claims, 2);

    assertNotNull(r, "B is ahead and was not asked");
    assertEquals(B, r.peer());
    assertEquals(10, r.maxBlocks());
  }

  @Test
  void neighboursThatAllClaimNearTheLargestHeightAreStillAsked() {
    // The same wrap, found by the fuzzer too: each claim's cap (the other's plus the lead) was
    // negative, so nobody was asked at all.
    Map<ByteString, Long> claims = Map.of(A, Long.MAX_VALUE - 1, B, Long.MAX_VALUE);

    SyncState.Request r = sync.next(0, claims, 0);

    assertNotNull(r, "two neighbours far ahead and none asked");
    assertEquals(SyncState.BLOCKS_PER_REQUEST_MAX, r.maxBlocks());
  }

  @Test
  void heldSyncBytesStopRequestsUntilTheNodeAppliesThem() {
    // Room for two answers, counting the one in flight.
    SyncState small = new SyncState(TIMEOUT, 2 * ANSWER_BYTES, ANSWER_BYTES, LEAD);
    small.next(0, Map.of(A, 1_000L), 0);
    assertTrue(small.accept(A, blocks(1, 4), ANSWER_BYTES, 1));
    assertEquals(5, small.next(0, Map.of(A, 1_000L), 2).fromHeight());
    assertTrue(small.accept(A, blocks(5, 8), ANSWER_BYTES, 3));

    assertNull(small.next(0, Map.of(A, 1_000L), 4), "two held, none applied: no room");
    assertEquals(9, small.next(4, Map.of(A, 1_000L), 5).fromHeight(), "four applied: room again");
  }

  @Test
  void asksNothingWhenNoNeighbourIsAhead() {
    assertNull(sync.next(9, Map.of(A, 7L, B, 9L), 0));
  }

  @Test
  void keepsOneRequestOutstandingUntilTheTimeout() {
    sync.next(0, Map.of(A, 10L), 0);

    assertNull(sync.next(0, Map.of(A, 10L), TIMEOUT - 1));
    // At the timeout A loses score and sits out one more timeout, as the only neighbour ahead.
    assertNull(sync.next(0, Map.of(A, 10L), TIMEOUT));
    assertEquals(1, sync.next(0, Map.of(A, 10L), 2 * TIMEOUT).fromHeight());
  }

  @Test
  void acceptsOnlyConsecutiveBlocksFromTheAskedPeerAndHeight() {
    sync.next(0, Map.of(A, 10L), 0);
    assertFalse(sync.accept(B, blocks(1, 3), ANSWER_BYTES, 1), "not asked");

    // Each bad answer benches A for a timeout; the next request comes after it.
    sync.next(0, Map.of(A, 10L), TIMEOUT);
    assertFalse(sync.accept(A, blocks(2, 4), ANSWER_BYTES, TIMEOUT + 1), "wrong start");

    sync.next(0, Map.of(A, 10L), 2 * TIMEOUT + 1);
    assertFalse(
        sync.accept(
            A, List.of(TestNodes.block(1), TestNodes.block(3)), ANSWER_BYTES, 2 * TIMEOUT + 2));

    sync.next(0, Map.of(A, 10L), 3 * TIMEOUT + 2);
    assertTrue(sync.accept(A, blocks(1, 4), ANSWER_BYTES, 3 * TIMEOUT + 3));
    assertFalse(sync.accept(A, blocks(1, 4), ANSWER_BYTES, 3 * TIMEOUT + 4), "answered already");
  }

  @Test
  void aNeighbourThatAnsweredBadlyIsNotAskedAgainBeforeATimeoutEvenWhenAloneAhead() {
    // A liar alone ahead used to be asked again the moment its empty answer arrived: a hot loop.
    assertEquals(A, sync.next(0, Map.of(A, 1_000L), 0).peer());
    assertFalse(sync.accept(A, List.of(), 10, 1));

    assertNull(sync.next(0, Map.of(A, 1_000L), 2));
    assertNull(sync.next(0, Map.of(A, 1_000L), TIMEOUT));
    assertEquals(A, sync.next(0, Map.of(A, 1_000L), TIMEOUT + 1).peer());
  }

  @Test
  void doesNotAskAgainForBlocksDeliveredButNotYetApplied() {
    sync.next(0, Map.of(A, 10L), 0);
    assertTrue(sync.accept(A, blocks(1, 4), ANSWER_BYTES, 1));

    // The node has not applied them yet (height still 0): continue after them.
    assertEquals(5, sync.next(0, Map.of(A, 10L), 2).fromHeight());
  }

  @Test
  void asksAgainFromOurHeightOnceDeliveredBlocksAreStale() {
    sync.next(0, Map.of(A, 10L), 0);
    assertTrue(sync.accept(A, blocks(1, 4), ANSWER_BYTES, 1));
    sync.next(0, Map.of(A, 10L), 2);

    // Blocks 1..4 were refused by the node (height still 0) and the request timed out (A then
    // sits out one timeout).
    assertNull(sync.next(0, Map.of(A, 10L), 2 + TIMEOUT));
    assertEquals(1, sync.next(0, Map.of(A, 10L), 2 + 2 * TIMEOUT).fromHeight());
  }

  @Test
  void aDisconnectedPeerNoLongerBlocksTheNextRequest() {
    sync.next(0, Map.of(A, 10L, B, 9L), 0);
    sync.peerGone(A);

    assertEquals(B, sync.next(0, Map.of(B, 9L), 1).peer());
  }
}
