package io.prosima.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.Gossip;
import io.prosima.proto.v1.PeerFrame;
import io.prosima.proto.v1.SyncResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * A neighbour's frame bytes through the node's own inbound path ({@link InboundFrames}, then what
 * {@link P2pNetwork} does with each kind that has no socket in it: the gossip router, the sync
 * request and fetch checks, the sync answer check). Any exception is a finding; so is a decision
 * that does not match the bytes. Seeds: real frames, with a last byte saying whether the neighbour
 * already sent Hello (FuzzedDataProvider reads primitives from the end).
 */
class InboundFrameFuzzTest {
  private static final String CHAIN = "fuzz-chain";
  private static final ByteString SELF = ByteString.copyFrom(new byte[32]);
  private static final ByteString NEIGHBOUR = ByteString.copyFrom(new byte[] {1});
  private static final int TTL_MAX = P2pConfig.GOSSIP_TTL_DEFAULT;
  private static final int FRAME_BYTES_MAX = P2pConfig.FRAME_BYTES_MIN;

  // Shared across inputs like the node's: de-duplication state is part of what is fuzzed.
  private final GossipRouter router = new GossipRouter(SELF, TTL_MAX, 1_000, 1_000_000, 0);
  private long nowNanos;

  @FuzzTest
  void inboundFrame(FuzzedDataProvider data) {
    boolean registered = data.consumeBoolean();
    byte[] bytes = data.consumeRemainingAsBytes();

    InboundFrames.Decision decision =
        InboundFrames.decide(ByteBuffer.wrap(bytes), registered, CHAIN);

    PeerFrame parsed = parseOrNull(bytes);
    if (decision instanceof InboundFrames.Close close) {
      assertFalse(close.reason().isBlank());
      if (!close.protocolViolation()) {
        assertTrue(!registered && parsed != null && parsed.hasHello(), close.reason());
        assertFalse(parsed.getHello().getChainId().equals(CHAIN));
      }
      return;
    }
    assertTrue(parsed != null, "a frame that does not parse was not closed");
    assertFalse(InboundFrames.hasUnknownFields(parsed));
    if (decision instanceof InboundFrames.Register) {
      assertFalse(registered, "a second Hello registered again");
      assertEquals(CHAIN, parsed.getHello().getChainId());
      return;
    }
    assertTrue(registered, "a frame before Hello was delivered");
    PeerFrame frame = ((InboundFrames.Deliver) decision).frame();
    assertEquals(parsed, frame);
    dispatch(frame);
  }

  private static PeerFrame parseOrNull(byte[] bytes) {
    try {
      return PeerFrame.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  /** The socket-free part of each P2pNetwork.onX. */
  private void dispatch(PeerFrame frame) {
    switch (frame.getKindCase()) {
      case GOSSIP -> gossip(frame.getGossip());
      case STATUS -> status(frame.getStatus().getHeight());
      case SYNC_REQUEST -> {
        var request = frame.getSyncRequest();
        if (InboundFrames.servable(request)) {
          int max = Math.min(request.getMaxBlocks(), SyncState.BLOCKS_PER_REQUEST_MAX);
          syncAnswer(request.getFromHeight(), max);
        } else {
          assertTrue(request.getFromHeight() < 1 || request.getMaxBlocks() < 1);
        }
      }
      case SYNC_RESPONSE -> syncResponse(frame.getSyncResponse());
      case TX_FETCH ->
          assertEquals(
              frame.getTxFetch().getTxHashesCount() >= 1
                  && frame.getTxFetch().getTxHashesCount() <= P2pNetwork.TX_FETCH_HASHES_MAX,
              InboundFrames.servable(frame.getTxFetch()));
      case TX_FETCHED -> {} // handed to the node as they are; it checks each transaction
      case HELLO, KIND_NOT_SET -> throw new AssertionError("delivered " + frame.getKindCase());
    }
  }

  private void gossip(Gossip gossip) {
    nowNanos += 1_000;
    GossipRouter.Outcome outcome = router.receive(gossip, nowNanos, g -> Verdict.ACCEPT);
    if (!gossip.getOrigin().equals(SELF) && (!gossip.hasBody() || gossip.getOrigin().isEmpty())) {
      assertEquals(GossipRouter.Fate.MALFORMED, outcome.fate());
    }
    Gossip relay = outcome.relay();
    if (relay != null) {
      // Relayed as received, with one hop less, never more hops than we would give it.
      assertEquals(gossip.getBody(), relay.getBody());
      assertEquals(gossip.getOrigin(), relay.getOrigin());
      assertTrue(relay.getTtl() >= 1 && relay.getTtl() < TTL_MAX, "ttl " + relay.getTtl());
      assertTrue(Integer.compareUnsigned(relay.getTtl(), gossip.getTtl()) < 0);
    }
  }

  /** A claimed height while we are at 10: asked for only when ahead, never past the claim. */
  private static void status(long claim) {
    SyncState sync = new SyncState(1_000, 1L << 30, FRAME_BYTES_MAX, 256);
    SyncState.Request request = sync.next(10, Map.of(NEIGHBOUR, claim), 0);
    if (claim <= 10) {
      assertNull(request);
      return;
    }
    assertEquals(11, request.fromHeight());
    assertTrue(request.maxBlocks() >= 1 && request.maxBlocks() <= SyncState.BLOCKS_PER_REQUEST_MAX);
    assertTrue(request.maxBlocks() <= claim - 10);
  }

  /** Our answer to the request, from a chain of 100 small blocks: consecutive, and fits a frame. */
  private static void syncAnswer(long fromHeight, int maxBlocks) {
    BlockSource source =
        new BlockSource() {
          @Override
          public long height() {
            return 100;
          }

          @Override
          public List<CommittedBlock> blocks(long from, int max, long maxBytes) {
            if (from > 100) {
              return List.of();
            }
            return LongStream.rangeClosed(from, Math.min(100, from + max - 1))
                .mapToObj(TestNodes::block)
                .toList();
          }
        };
    SyncResponse answer = SyncState.answer(source, fromHeight, maxBlocks, FRAME_BYTES_MAX);
    assertTrue(answer.getBlocksCount() <= maxBlocks);
    for (int i = 0; i < answer.getBlocksCount(); i++) {
      assertEquals(fromHeight + i, answer.getBlocks(i).getBlock().getHeader().getHeight());
    }
    int frameBytes =
        PeerFrame.newBuilder().setSyncResponse(answer).build().getSerializedSize()
            + P2pNetwork.LENGTH_FIELD_BYTES;
    assertTrue(frameBytes <= FRAME_BYTES_MAX || answer.getBlocksCount() == 0);
  }

  /** A neighbour's answer to our request for heights 1..: delivered only if it is one. */
  private static void syncResponse(SyncResponse response) {
    SyncState sync = new SyncState(1_000, 1L << 30, FRAME_BYTES_MAX, 256);
    SyncState.Request asked = sync.next(0, Map.of(NEIGHBOUR, 1_000L), 0);
    assertEquals(1, asked.fromHeight());
    boolean delivered =
        sync.accept(NEIGHBOUR, response.getBlocksList(), response.getSerializedSize(), 1);
    List<CommittedBlock> blocks = response.getBlocksList();
    boolean consecutive = !blocks.isEmpty() && blocks.size() <= SyncState.BLOCKS_PER_REQUEST_MAX;
    for (int i = 0; consecutive && i < blocks.size(); i++) {
      consecutive = blocks.get(i).getBlock().getHeader().getHeight() == 1 + i;
    }
    assertEquals(consecutive, delivered);
    if (!delivered) {
      assertTrue(sync.score(NEIGHBOUR) < 0, "a bad answer costs the sender");
      assertNull(sync.next(0, Map.of(NEIGHBOUR, 1_000L), 2), "and benches it");
    }
  }
}
