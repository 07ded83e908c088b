package io.prosima.p2p;

import static io.prosima.p2p.TestNodes.CHAIN;
import static io.prosima.p2p.TestNodes.pub;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.p2p.TestNodes.RecordingHandler;
import io.prosima.proto.v1.KeyFile;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GossipTest {
  private final List<P2pNetwork> nodes = new ArrayList<>();
  private final List<RecordingHandler> handlers = new ArrayList<>();
  private List<KeyFile> keys;

  @AfterEach
  void closeAll() {
    nodes.forEach(P2pNetwork::close);
  }

  @Test
  void aNeighbourAnswersAFetchWithTheTransactionsItHas() throws Exception {
    startGraph(2, new int[][] {{0, 1}}, 4);
    io.prosima.proto.v1.Transaction has =
        io.prosima.proto.v1.Transaction.newBuilder().setChainId(CHAIN).setNonce(1).build();
    ByteString known = ByteString.copyFromUtf8("known-hash");
    handlers.get(1).txs.put(known, has);

    assertTrue(
        nodes
            .get(0)
            .fetchTxs(pub(keys.get(1)), List.of(known, ByteString.copyFromUtf8("unknown"))));
    await().atMost(Duration.ofSeconds(5)).until(() -> handlers.get(0).fetched.size() == 1);
    assertEquals(has, handlers.get(0).fetched.get(0));
    assertFalse(nodes.get(0).fetchTxs(ByteString.copyFromUtf8("not a neighbour"), List.of(known)));
  }

  @Test
  void aProposalsFetchIsAnsweredWhileRelayFetchesAreStuckOrQueued() throws Exception {
    startGraph(2, new int[][] {{0, 1}}, 4);
    io.prosima.proto.v1.Transaction has =
        io.prosima.proto.v1.Transaction.newBuilder().setChainId(CHAIN).setNonce(1).build();
    ByteString known = ByteString.copyFromUtf8("known-hash");
    ByteString slow = ByteString.copyFromUtf8("slow-hash");
    handlers.get(1).txs.put(known, has);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    handlers.get(1).blockFetchesOf(slow, release);
    try {
      ByteString one = pub(keys.get(1));
      // A relay fetch that never finishes, then more than the serving queue holds behind it.
      for (int i = 0; i <= P2pNetwork.SYNC_REQUESTS_QUEUED_MAX + 2; i++) {
        assertTrue(nodes.get(0).fetchTxs(one, List.of(slow), true));
      }
      assertTrue(nodes.get(0).fetchTxs(one, List.of(known), false));
      await().atMost(Duration.ofSeconds(5)).until(() -> handlers.get(0).fetched.size() == 1);
      assertEquals(has, handlers.get(0).fetched.get(0));
    } finally {
      release.countDown();
    }
  }

  private void startGraph(int n, int[][] edges, int ttl) throws Exception {
    keys = TestNodes.sortedKeys(n);
    int[] ports = new int[n];
    for (int i = 0; i < n; i++) {
      ports[i] = TestNodes.freePort();
    }
    List<Map<ByteString, InetSocketAddress>> neighbours = TestNodes.neighbours(keys, ports, edges);
    for (int i = 0; i < n; i++) {
      RecordingHandler h = new RecordingHandler();
      handlers.add(h);
      nodes.add(
          P2pNetwork.start(
              TestNodes.config(CHAIN, keys.get(i), ports[i], neighbours.get(i), ttl),
              h,
              TestNodes.EMPTY));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              for (int[] e : edges) {
                if (!nodes.get(e[0]).connectedPeers().contains(pub(keys.get(e[1])))
                    || !nodes.get(e[1]).connectedPeers().contains(pub(keys.get(e[0])))) {
                  return false;
                }
              }
              return true;
            });
  }

  @Test
  void aBroadcastInARingReachesEveryOtherNodeExactlyOnceOverTwoHops() throws Exception {
    // Ring 0-1-2-3-0: node 2 is two hops from node 0 by two paths, so it sees the message twice.
    startGraph(4, new int[][] {{0, 1}, {1, 2}, {2, 3}, {3, 0}}, P2pConfig.GOSSIP_TTL_DEFAULT);
    assertFalse(nodes.get(0).connectedPeers().contains(pub(keys.get(2))));

    nodes.get(0).broadcast(TestNodes.body());

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> handlers.subList(1, 4).stream().allMatch(h -> !h.gossipOrigins.isEmpty()));
    // Let every relay and echo settle, then count.
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(3))
        .until(() -> handlers.subList(1, 4).stream().allMatch(h -> h.gossipOrigins.size() == 1));
    for (int i = 1; i < 4; i++) {
      assertEquals(List.of(pub(keys.get(0))), handlers.get(i).gossipOrigins);
    }
    assertTrue(handlers.get(0).gossipOrigins.isEmpty());
    long duplicates = nodes.stream().mapToLong(n -> n.stats().duplicatesIgnored()).sum();
    assertTrue(duplicates > 0, "the second path's copy was ignored");
    assertTrue(nodes.get(0).stats().framesSent() >= 2);
  }

  @Test
  void eachBroadcastIsANewMessage() throws Exception {
    startGraph(3, new int[][] {{0, 1}, {1, 2}}, P2pConfig.GOSSIP_TTL_DEFAULT);

    // Distinct bodies: a byte-identical body within the seen window is a duplicate.
    for (int i = 0; i < 5; i++) {
      nodes.get(2).broadcast(TestNodes.body(i));
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> handlers.get(0).gossipOrigins.size() == 5);
    assertEquals(5, handlers.get(1).gossipOrigins.size());
    assertTrue(handlers.get(2).gossipOrigins.isEmpty());
  }

  @Test
  void gossipStopsWhenItsTtlRunsOut() throws Exception {
    // Line 0-1-2 with ttl 1: node 1 gets it from node 0 but must not pass it on.
    startGraph(3, new int[][] {{0, 1}, {1, 2}}, 1);

    nodes.get(0).broadcast(TestNodes.body());

    await().atMost(Duration.ofSeconds(5)).until(() -> handlers.get(1).gossipOrigins.size() == 1);
    await()
        .during(Duration.ofMillis(400))
        .atMost(Duration.ofSeconds(2))
        .until(() -> handlers.get(2).gossipOrigins.isEmpty());
  }

  @Test
  void aBodyTheNodeRefusesIsNotRelayed() throws Exception {
    // Line 0-1-2: node 1 refuses everything, so nothing may reach node 2 through it.
    startGraph(3, new int[][] {{0, 1}, {1, 2}}, P2pConfig.GOSSIP_TTL_DEFAULT);
    handlers.get(1).gossipVerdict = Verdict.REFUSE;

    nodes.get(0).broadcast(TestNodes.body(1));

    await().atMost(Duration.ofSeconds(5)).until(() -> handlers.get(1).gossipBodies.size() == 1);
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(3))
        .until(() -> handlers.get(2).gossipBodies.isEmpty());
  }
}
