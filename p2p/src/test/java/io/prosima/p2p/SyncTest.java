package io.prosima.p2p;

import static io.prosima.p2p.TestNodes.CHAIN;
import static io.prosima.p2p.TestNodes.pub;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.p2p.TestNodes.FakeBlockSource;
import io.prosima.p2p.TestNodes.RecordingHandler;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.KeyFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SyncTest {
  private final List<P2pNetwork> nodes = new ArrayList<>();

  @AfterEach
  void closeAll() {
    nodes.forEach(P2pNetwork::close);
  }

  private static List<Long> heights(List<CommittedBlock> blocks) {
    return blocks.stream().map(b -> b.getBlock().getHeader().getHeight()).toList();
  }

  /** Node a has 10 blocks and serves 4 per request; node b starts empty. Either may dial. */
  private void syncTenBlocks(int ahead) throws Exception {
    List<KeyFile> keys = TestNodes.sortedKeys(2);
    int[] ports = {TestNodes.freePort(), TestNodes.freePort()};
    FakeBlockSource[] sources = new FakeBlockSource[2];
    RecordingHandler[] handlers = new RecordingHandler[2];
    for (int i = 0; i < 2; i++) {
      sources[i] = new FakeBlockSource(i == ahead ? 10 : 0, 4);
      handlers[i] = new RecordingHandler(sources[i]);
    }
    for (int i = 0; i < 2; i++) {
      int other = 1 - i;
      nodes.add(
          P2pNetwork.start(
              TestNodes.config(
                  CHAIN,
                  keys.get(i),
                  ports[i],
                  Map.of(pub(keys.get(other)), TestNodes.local(ports[other]))),
              handlers[i],
              sources[i]));
    }
    int behind = 1 - ahead;

    await().atMost(Duration.ofSeconds(10)).until(() -> sources[behind].height() == 10);

    // apply() already failed the test on any gap or replay; check the order seen, too.
    assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(), heights(handlers[behind].synced));
    assertTrue(handlers[ahead].synced.isEmpty());
    assertEquals(10, nodes.get(behind).stats().blocksReceivedBySync());
    assertTrue(nodes.get(ahead).stats().syncRequestsServed() >= 3, "4 blocks per answer");
    // Caught up: no further requests once heights are equal.
    long served = nodes.get(ahead).stats().syncRequestsServed();
    await()
        .during(Duration.ofMillis(400))
        .atMost(Duration.ofSeconds(3))
        .until(() -> nodes.get(ahead).stats().syncRequestsServed() == served);
  }

  @Test
  void aNodeBehindSyncsAllBlocksInOrderFromTheDialer() throws Exception {
    syncTenBlocks(0);
  }

  @Test
  void aNodeBehindSyncsAllBlocksInOrderFromTheAcceptor() throws Exception {
    syncTenBlocks(1);
  }
}
