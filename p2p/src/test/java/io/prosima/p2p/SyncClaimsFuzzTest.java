package io.prosima.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import io.prosima.proto.v1.CommittedBlock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * {@link SyncState} fed the heights three neighbours claim (unsigned peer input: any long, since
 * PeerStatus heights are uint64) and a fuzzed run of answers, refusals, disconnects and time.
 * Checked on every request: it starts right after what we have and hold, asks a neighbour that
 * claims that far, and asks 1..64 blocks. Then the liveness rule the lead cap exists for: once the
 * neighbour asked first answers nothing, any other neighbour ahead of us is asked next.
 */
class SyncClaimsFuzzTest {
  private static final long TIMEOUT = 1_000;
  private static final long ANSWER_BYTES = 1_000;
  private static final long LEAD = 256;
  private static final List<ByteString> PEERS =
      List.of(
          ByteString.copyFromUtf8("a"), ByteString.copyFromUtf8("b"), ByteString.copyFromUtf8("c"));

  @FuzzTest
  void claims(FuzzedDataProvider data) {
    // Our own height comes from our store, not a peer: realistic ones only.
    long ourHeight = data.consumeLong(0, 1L << 40);
    Map<ByteString, Long> claims = new HashMap<>();
    for (ByteString peer : PEERS) {
      if (data.consumeBoolean()) {
        claims.put(peer, data.consumeLong());
      }
    }
    aLiarThatAnswersNothingDoesNotStopTheOthers(ourHeight, claims);
    run(data, ourHeight, claims);
  }

  private static void aLiarThatAnswersNothingDoesNotStopTheOthers(
      long ourHeight, Map<ByteString, Long> claims) {
    SyncState sync = new SyncState(TIMEOUT, 100 * ANSWER_BYTES, ANSWER_BYTES, LEAD);
    SyncState.Request first = sync.next(ourHeight, claims, 0);
    boolean anyAhead = claims.values().stream().anyMatch(h -> h > ourHeight);
    assertEquals(anyAhead, first != null, "asked iff a neighbour is ahead");
    if (first == null) {
      return;
    }
    checkRequest(first, ourHeight + 1, claims);
    sync.accept(first.peer(), List.of(), 10, 1);
    boolean othersAhead =
        claims.entrySet().stream()
            .anyMatch(e -> !e.getKey().equals(first.peer()) && e.getValue() > ourHeight);
    SyncState.Request second = sync.next(ourHeight, claims, 2);
    if (othersAhead) {
      assertNotNull(second, "the first neighbour answered nothing and no other was asked");
      assertNotEquals(first.peer(), second.peer());
      checkRequest(second, ourHeight + 1, claims);
    }
  }

  /** A fuzzed sequence of events; every request made along it is checked. */
  private static void run(FuzzedDataProvider data, long ourHeight, Map<ByteString, Long> claims) {
    SyncState sync = new SyncState(TIMEOUT, 4 * ANSWER_BYTES, ANSWER_BYTES, LEAD);
    long now = 0;
    long height = ourHeight;
    long held = height; // highest height delivered and not refused
    SyncState.Request last = null;
    for (int step = 0; step < 32 && data.remainingBytes() > 0; step++) {
      now += data.consumeLong(0, 2 * TIMEOUT);
      switch (data.consumeInt(0, 4)) {
        case 0 -> {
          SyncState.Request r = sync.next(height, claims, now);
          if (r != null) {
            assertTrue(r.fromHeight() > height && r.fromHeight() <= held + 1, "from " + r);
            checkRequest(r, r.fromHeight(), claims);
            last = r;
          }
        }
        case 1 -> {
          if (last != null) {
            int n = data.consumeInt(0, last.maxBlocks());
            long from = last.fromHeight() + data.consumeInt(-1, 1); // sometimes the wrong start
            boolean delivered = sync.accept(last.peer(), blocks(from, n), ANSWER_BYTES, now);
            // Not the converse: a timeout or disconnect may have dropped the request since.
            assertTrue(!delivered || (n > 0 && from == last.fromHeight()), "accepted " + from);
            if (delivered) {
              held = Math.max(held, from + n - 1);
            }
            last = null;
          }
        }
        case 2 -> {
          if (last != null) {
            sync.refused(last.peer(), now); // held stays an upper bound
          }
        }
        case 3 -> sync.peerGone(PEERS.get(data.consumeInt(0, PEERS.size() - 1)));
        default -> height = Math.min(held, height + data.consumeInt(0, 64)); // blocks applied
      }
      for (ByteString peer : PEERS) {
        int score = sync.score(peer);
        assertTrue(score <= 0 && score >= -SyncState.SCORE_LIMIT, "score " + score);
      }
    }
  }

  private static void checkRequest(SyncState.Request r, long from, Map<ByteString, Long> claims) {
    assertEquals(from, r.fromHeight());
    Long claim = claims.get(r.peer());
    assertNotNull(claim, "asked a neighbour that claims nothing");
    assertTrue(claim >= r.fromHeight(), "asked past its claim " + claim + ": " + r);
    assertTrue(r.maxBlocks() >= 1 && r.maxBlocks() <= SyncState.BLOCKS_PER_REQUEST_MAX);
    assertTrue(r.maxBlocks() - 1 <= claim - r.fromHeight(), "more blocks than claimed: " + r);
  }

  private static List<CommittedBlock> blocks(long from, int n) {
    return LongStream.range(from, from + n).mapToObj(TestNodes::block).toList();
  }
}
