package io.prosima.p2p;

import static io.prosima.p2p.TestNodes.CHAIN;
import static io.prosima.p2p.TestNodes.pub;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.p2p.TestNodes.RecordingHandler;
import io.prosima.proto.v1.KeyFile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A restarted node (same key, same port) is reconnected and gossip flows again. */
class ReconnectTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private List<KeyFile> keys; // key 0 dials key 1
  private int[] ports;
  private final P2pNetwork[] nodes = new P2pNetwork[2];
  private final RecordingHandler[] handlers = new RecordingHandler[2];

  @BeforeEach
  void startPair() throws Exception {
    keys = TestNodes.sortedKeys(2);
    ports = new int[] {TestNodes.freePort(), TestNodes.freePort()};
    start(0);
    start(1);
    awaitConnected();
  }

  @AfterEach
  void closeAll() {
    for (P2pNetwork n : nodes) {
      if (n != null) {
        n.close();
      }
    }
  }

  private void start(int i) throws Exception {
    int other = 1 - i;
    handlers[i] = new RecordingHandler();
    nodes[i] =
        P2pNetwork.start(
            TestNodes.config(
                CHAIN,
                keys.get(i),
                ports[i],
                Map.of(pub(keys.get(other)), TestNodes.local(ports[other]))),
            handlers[i],
            TestNodes.EMPTY);
  }

  private void awaitConnected() {
    await()
        .atMost(WAIT)
        .until(
            () ->
                nodes[0].connectedPeers().contains(pub(keys.get(1)))
                    && nodes[1].connectedPeers().contains(pub(keys.get(0))));
  }

  private void restart(int i) throws Exception {
    nodes[i].close();
    int other = 1 - i;
    await().atMost(WAIT).until(() -> nodes[other].connectedPeers().isEmpty());
    start(i);
  }

  @Test
  void theDialerReconnectsToARestartedNeighbour() throws Exception {
    restart(1);
    awaitConnected();

    nodes[0].broadcast(TestNodes.body());

    await().atMost(WAIT).until(() -> handlers[1].gossipOrigins.size() == 1);
    assertEquals(pub(keys.get(0)), handlers[1].gossipOrigins.get(0));
  }

  @Test
  void aRestartedDialerIsAcceptedAgain() throws Exception {
    restart(0);
    awaitConnected();

    // Two different bodies: each node takes its own body's echo for a duplicate.
    nodes[1].broadcast(TestNodes.body(1));
    nodes[0].broadcast(TestNodes.body(0));

    await().atMost(WAIT).until(() -> handlers[0].gossipOrigins.size() == 1);
    await().atMost(WAIT).until(() -> handlers[1].gossipOrigins.size() == 1);
    assertTrue(nodes[1].stats().connectedPeers() == 1);
  }
}
