package io.prosima.p2p;

import static io.prosima.p2p.TestNodes.CHAIN;
import static io.prosima.p2p.TestNodes.pub;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.prosima.p2p.TestNodes.RecordingHandler;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.PeerFrame;
import io.prosima.proto.v1.PeerStatus;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who may connect, and what closes a connection. */
class AdmissionTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private List<KeyFile> keys; // sorted: keys 0 and 1 dial key 2
  private P2pNetwork node; // key 2, neighbour: key 1 only
  private RecordingHandler handler;

  @BeforeEach
  void startNode() throws Exception {
    keys = TestNodes.sortedKeys(3);
    handler = new RecordingHandler();
    node =
        P2pNetwork.start(
            TestNodes.config(
                CHAIN,
                keys.get(2),
                0,
                Map.of(pub(keys.get(1)), TestNodes.local(TestNodes.freePort()))),
            handler,
            TestNodes.EMPTY);
    toClose.add(node);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private RawPeer connect(KeyFile key) throws Exception {
    RawPeer raw = new RawPeer(key, pub(keys.get(2)), node.port());
    toClose.add(0, raw);
    return raw;
  }

  /** A neighbour's raw connection, through Hello. */
  private RawPeer connectedNeighbour() throws Exception {
    RawPeer raw = connect(keys.get(1));
    assertTrue(raw.handshakeDone());
    raw.sendHello(CHAIN);
    await().atMost(WAIT).until(() -> node.connectedPeers().contains(pub(keys.get(1))));
    PeerFrame hello = raw.received.poll(5, TimeUnit.SECONDS);
    assertEquals(CHAIN, hello.getHello().getChainId());
    return raw;
  }

  @Test
  void aKeyThatIsNotANeighbourIsRefusedAtTheTlsHandshake() throws Exception {
    RawPeer outsider = connect(keys.get(0));
    outsider.sendHello(CHAIN);

    await().atMost(WAIT).until(() -> !outsider.isOpen());
    assertTrue(node.connectedPeers().isEmpty());
    assertTrue(outsider.received.isEmpty(), "no frame reaches an outsider");
  }

  @Test
  void anOutsiderNodeNeverConnectsAndItsGossipIsNotDelivered() throws Exception {
    // The outsider lists our node as its neighbour and dials it (its key is smaller).
    RecordingHandler outsiderHandler = new RecordingHandler();
    P2pNetwork outsider =
        P2pNetwork.start(
            TestNodes.config(
                CHAIN, keys.get(0), 0, Map.of(pub(keys.get(2)), TestNodes.local(node.port()))),
            outsiderHandler,
            TestNodes.EMPTY);
    toClose.add(0, outsider);

    outsider.broadcast(TestNodes.body());
    await()
        .during(Duration.ofMillis(800))
        .atMost(WAIT)
        .until(() -> node.connectedPeers().isEmpty() && outsider.connectedPeers().isEmpty());
    assertTrue(handler.gossipOrigins.isEmpty());
  }

  @Test
  void aNeighbourWithTheRightChainIdStaysConnected() throws Exception {
    RawPeer raw = connectedNeighbour();

    await()
        .during(Duration.ofMillis(300))
        .atMost(WAIT)
        .until(() -> raw.isOpen() && node.connectedPeers().size() == 1);
  }

  @Test
  void aNeighbourWithTheLargerKeyMayNotDialUs() throws Exception {
    // Key 1 > key 0: node 0 dials key 1, so an inbound connection from key 1 is refused.
    P2pNetwork dialer =
        P2pNetwork.start(
            TestNodes.config(
                CHAIN,
                keys.get(0),
                0,
                Map.of(pub(keys.get(1)), TestNodes.local(TestNodes.freePort()))),
            new RecordingHandler(),
            TestNodes.EMPTY);
    toClose.add(0, dialer);
    RawPeer raw = new RawPeer(keys.get(1), pub(keys.get(0)), dialer.port());
    toClose.add(0, raw);
    raw.sendHello(CHAIN);

    await().atMost(WAIT).until(() -> !raw.isOpen());
    assertTrue(dialer.connectedPeers().isEmpty());
  }

  @Test
  void aHelloWithAnotherChainIdIsDisconnected() throws Exception {
    RawPeer raw = connect(keys.get(1));
    assertTrue(raw.handshakeDone());

    raw.sendHello("another-chain");

    await().atMost(WAIT).until(() -> !raw.isOpen());
    assertTrue(node.connectedPeers().isEmpty());
  }

  @Test
  void twoNodesOfDifferentChainsDoNotConnect() throws Exception {
    P2pNetwork other =
        P2pNetwork.start(
            TestNodes.config(
                "another-chain",
                keys.get(1),
                0,
                Map.of(pub(keys.get(2)), TestNodes.local(node.port()))),
            new RecordingHandler(),
            TestNodes.EMPTY);
    toClose.add(0, other);

    await()
        .during(Duration.ofMillis(800))
        .atMost(WAIT)
        .until(() -> node.connectedPeers().isEmpty() && other.connectedPeers().isEmpty());
  }

  @Test
  void aFrameOverTheLimitClosesTheConnection() throws Exception {
    RawPeer raw = connectedNeighbour();
    long droppedBefore = node.stats().framesDropped();

    // Only the length prefix matters: the decoder fails as soon as it reads it.
    raw.sendRaw(Unpooled.buffer().writeInt(TestNodes.FRAME_BYTES_MAX).writeZero(1024));

    await().atMost(WAIT).until(() -> !raw.isOpen());
    assertTrue(node.connectedPeers().isEmpty());
    assertEquals(droppedBefore + 1, node.stats().framesDropped());
  }

  @Test
  void anUnparsableFrameClosesTheConnectionAndIsCounted() throws Exception {
    RawPeer raw = connectedNeighbour();
    long droppedBefore = node.stats().framesDropped();

    raw.sendRaw(Unpooled.buffer().writeInt(3).writeByte(0xff).writeByte(0xff).writeByte(0xff));

    await().atMost(WAIT).until(() -> !raw.isOpen());
    assertTrue(node.connectedPeers().isEmpty());
    assertEquals(droppedBefore + 1, node.stats().framesDropped());
  }

  @Test
  void aFrameWithAnUnknownFieldClosesTheConnection() throws Exception {
    RawPeer raw = connectedNeighbour();
    long droppedBefore = node.stats().framesDropped();
    byte[] status =
        PeerFrame.newBuilder()
            .setStatus(PeerStatus.newBuilder().setHeight(3))
            .build()
            .toByteArray();
    // Field 99, varint 1: a field this version does not know.
    byte[] unknown = {(byte) 0x98, 0x06, 0x01};

    raw.sendRaw(
        Unpooled.buffer()
            .writeInt(status.length + unknown.length)
            .writeBytes(status)
            .writeBytes(unknown));

    await().atMost(WAIT).until(() -> !raw.isOpen());
    assertEquals(droppedBefore + 1, node.stats().framesDropped());
  }

  @Test
  void framesOverTheRateLimitAreDroppedAndCounted() throws Exception {
    P2pNetwork limited =
        P2pNetwork.start(
            new P2pConfig(
                CHAIN,
                keys.get(2),
                TestNodes.local(0),
                Map.of(pub(keys.get(1)), TestNodes.local(TestNodes.freePort())),
                TestNodes.FRAME_BYTES_MAX,
                P2pConfig.GOSSIP_TTL_DEFAULT,
                10,
                4L * TestNodes.FRAME_BYTES_MAX,
                Duration.ofMillis(100),
                Duration.ofMillis(50),
                Duration.ofMillis(300)),
            handler,
            TestNodes.EMPTY);
    toClose.add(0, limited);
    RawPeer raw = new RawPeer(keys.get(1), pub(keys.get(2)), limited.port());
    toClose.add(0, raw);
    assertTrue(raw.handshakeDone());
    raw.sendHello(CHAIN);
    await().atMost(WAIT).until(() -> limited.connectedPeers().size() == 1);

    for (int i = 0; i < 100; i++) {
      raw.send(PeerFrame.newBuilder().setStatus(PeerStatus.newBuilder().setHeight(i)).build());
    }

    // A burst of 10 then 10 per second: most of the 100 are dropped, the connection stays.
    await().atMost(WAIT).until(() -> limited.stats().framesDropped() >= 50);
    assertTrue(limited.stats().framesReceived() <= 50);
    assertTrue(raw.isOpen());
  }

  @Test
  void aSecondConnectionFromTheSameNeighbourReplacesTheFirst() throws Exception {
    RawPeer first = connectedNeighbour();

    RawPeer second = connect(keys.get(1));
    assertTrue(second.handshakeDone());
    second.sendHello(CHAIN);

    await().atMost(WAIT).until(() -> !first.isOpen());
    await()
        .during(Duration.ofMillis(300))
        .atMost(WAIT)
        .until(() -> second.isOpen() && node.connectedPeers().contains(pub(keys.get(1))));
  }

  @Test
  void unauthenticatedConnectionsPastThePerAddressCapAreClosedAtOnce() throws Exception {
    int extra = 3;
    List<Socket> sockets = new ArrayList<>();
    try {
      // Plain TCP that never starts TLS: each holds a pending handshake until the TLS timeout.
      for (int i = 0; i < P2pConfig.PENDING_HANDSHAKES_PER_ADDRESS_MAX + extra; i++) {
        sockets.add(new Socket("127.0.0.1", node.port()));
      }
      Set<Socket> closed = new HashSet<>();

      await().atMost(WAIT).until(() -> closedByServer(sockets, closed) == extra);
      await()
          .during(Duration.ofMillis(300))
          .atMost(WAIT)
          .until(() -> closedByServer(sockets, closed) == extra);
      assertEquals(extra, node.stats().handshakesRefused());
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  /** How many of {@code sockets} the server has closed (remembered in {@code closed}). */
  private static int closedByServer(List<Socket> sockets, Set<Socket> closed) throws IOException {
    for (Socket s : sockets) {
      if (closed.contains(s)) {
        continue;
      }
      s.setSoTimeout(1);
      try {
        if (s.getInputStream().read() == -1) {
          closed.add(s);
        }
      } catch (SocketTimeoutException e) {
        // still open
      } catch (SocketException e) {
        closed.add(s); // reset by the server
      }
    }
    return closed.size();
  }
}
