package io.prosima.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.Gossip;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The flooding rule: de-duplicated by content, relayed only when taken, ttl never cut short. */
class GossipRouterTest {
  static final long SECOND = 1_000_000_000L;
  static final int TTL = 8;

  private final GossipRouter router =
      new GossipRouter(ByteString.copyFromUtf8("self"), TTL, 100, SECOND, 0);
  private final AtomicInteger asked = new AtomicInteger();

  private Gossip copy(int body, int ttl) {
    return Gossip.newBuilder()
        .setOrigin(ByteString.copyFromUtf8("origin"))
        .setSequence(body)
        .setTtl(ttl)
        .setBody(TestNodes.body(body))
        .build();
  }

  private GossipRouter.Outcome receive(Gossip g, Verdict verdict) {
    return router.receive(
        g,
        0,
        x -> {
          asked.incrementAndGet();
          return verdict;
        });
  }

  @Test
  void aCopyWithOneHopLeftFirstDoesNotCutTheFloodOfALaterCopyWithMore() {
    GossipRouter.Outcome first = receive(copy(1, 1), Verdict.ACCEPT);
    assertEquals(GossipRouter.Fate.ACCEPTED, first.fate());
    assertNull(first.relay(), "no hops left");
    GossipRouter.Outcome honest = receive(copy(1, TTL), Verdict.ACCEPT);
    assertEquals(GossipRouter.Fate.RELAYED_FURTHER, honest.fate());
    assertEquals(TTL - 1, honest.relay().getTtl());
    assertEquals(1, asked.get(), "the node is asked once per body");
    assertEquals(GossipRouter.Fate.DUPLICATE, receive(copy(1, TTL - 2), Verdict.ACCEPT).fate());
    assertEquals(GossipRouter.Fate.DUPLICATE, receive(copy(1, TTL), Verdict.ACCEPT).fate());
  }

  @Test
  void aRefusedBodyIsNeverRelayedWhateverItsTtl() {
    assertEquals(GossipRouter.Fate.REFUSED, receive(copy(2, 1), Verdict.REFUSE).fate());
    assertEquals(GossipRouter.Fate.DUPLICATE, receive(copy(2, TTL), Verdict.ACCEPT).fate());
    assertEquals(1, asked.get());
  }

  @Test
  void aBodyTheNodePassesOnItselfIsNotRelayedAsItCame() {
    GossipRouter.Outcome o = receive(copy(5, TTL), Verdict.TAKEN);
    assertEquals(GossipRouter.Fate.TAKEN, o.fate());
    assertNull(o.relay());
    assertEquals(GossipRouter.Fate.DUPLICATE, receive(copy(5, TTL), Verdict.ACCEPT).fate());
  }

  @Test
  void aNeighboursTtlAboveOursIsCappedAndOurOwnBodiesComeBackAsDuplicates() {
    GossipRouter.Outcome o = receive(copy(3, 200), Verdict.ACCEPT);
    assertEquals(TTL - 1, o.relay().getTtl());
    Gossip own = router.originate(TestNodes.body(4), 0);
    assertEquals(TTL, own.getTtl());
    assertEquals(GossipRouter.Fate.DUPLICATE, receive(copy(4, TTL), Verdict.ACCEPT).fate());
    assertEquals(GossipRouter.Fate.DUPLICATE, receive(own, Verdict.ACCEPT).fate());
  }
}
