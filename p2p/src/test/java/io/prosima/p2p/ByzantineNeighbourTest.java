package io.prosima.p2p;

import static io.prosima.p2p.TestNodes.CHAIN;
import static io.prosima.p2p.TestNodes.pub;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.p2p.TestNodes.RecordingHandler;
import io.prosima.proto.v1.Gossip;
import io.prosima.proto.v1.GossipBody;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.PeerFrame;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A neighbour that holds a valid TLS key (a validator of the overlay) but lies: each test is one
 * attack from the "Byzantine-proof consensus" issue, run over real sockets on loopback.
 */
class ByzantineNeighbourTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private P2pNetwork start(P2pConfig config, P2pHandler handler, BlockSource source)
      throws Exception {
    P2pNetwork net = P2pNetwork.start(config, handler, source);
    toClose.add(0, net);
    return net;
  }

  /** A raw connection with {@code key} to the node with {@code serverKey}, through Hello. */
  private RawPeer rawNeighbour(KeyFile key, KeyFile serverKey, P2pNetwork server) throws Exception {
    RawPeer raw = new RawPeer(key, pub(serverKey), server.port());
    toClose.add(0, raw);
    assertTrue(raw.handshakeDone());
    raw.sendHello(CHAIN);
    await().atMost(WAIT).until(() -> server.connectedPeers().contains(pub(key)));
    return raw;
  }

  private static Gossip nextGossip(RawPeer raw) throws InterruptedException {
    while (true) {
      PeerFrame f = raw.received.poll(5, TimeUnit.SECONDS);
      if (f == null) {
        throw new AssertionError("no gossip arrived");
      }
      if (f.hasGossip()) {
        return f.getGossip();
      }
    }
  }

  @Test
  void aNeighbourThatPreSendsAValidatorsNextSequencesCannotSilenceIt() throws Exception {
    // keys[0] is the attacker (smallest key: it dials both), keys[1] the honest origin, keys[2]
    // the victim that hears the honest origin directly and the attacker too.
    List<KeyFile> keys = TestNodes.sortedKeys(3);
    int honestPort = TestNodes.freePort();
    int victimPort = TestNodes.freePort();
    InetSocketAddress nowhere = TestNodes.local(TestNodes.freePort());
    RecordingHandler victimHandler = new RecordingHandler();
    P2pNetwork victim =
        start(
            TestNodes.config(
                CHAIN,
                keys.get(2),
                victimPort,
                Map.of(pub(keys.get(0)), nowhere, pub(keys.get(1)), TestNodes.local(honestPort))),
            victimHandler,
            TestNodes.EMPTY);
    P2pNetwork honest =
        start(
            TestNodes.config(
                CHAIN,
                keys.get(1),
                honestPort,
                Map.of(pub(keys.get(0)), nowhere, pub(keys.get(2)), TestNodes.local(victimPort))),
            new RecordingHandler(),
            TestNodes.EMPTY);
    await().atMost(WAIT).until(() -> victim.connectedPeers().contains(pub(keys.get(1))));
    RawPeer spy = rawNeighbour(keys.get(0), keys.get(1), honest);
    RawPeer liar = rawNeighbour(keys.get(0), keys.get(2), victim);

    // The attacker learns the honest node's current sequence from one of its messages...
    honest.broadcast(TestNodes.body(1));
    long sequence = nextGossip(spy).getSequence();
    await().atMost(WAIT).until(() -> victimHandler.gossipBodies.size() == 1);
    // ...and claims the next ones for junk in the honest node's name.
    for (long s = sequence + 1; s <= sequence + 5; s++) {
      liar.send(
          PeerFrame.newBuilder()
              .setGossip(
                  Gossip.newBuilder()
                      .setOrigin(pub(keys.get(1)))
                      .setSequence(s)
                      .setTtl(1)
                      .setBody(TestNodes.body(1_000 + s)))
              .build());
    }
    await().atMost(WAIT).until(() -> victimHandler.gossipBodies.size() >= 6);

    GossipBody real = TestNodes.body(2);
    honest.broadcast(real);

    await().atMost(WAIT).until(() -> victimHandler.gossipBodies.contains(real));
  }
}
