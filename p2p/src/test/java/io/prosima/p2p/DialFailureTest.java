package io.prosima.p2p;

import static io.prosima.p2p.TestNodes.CHAIN;
import static io.prosima.p2p.TestNodes.pub;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.p2p.TestNodes.RecordingHandler;
import io.prosima.proto.v1.KeyFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a node says about a neighbour it cannot reach: the neighbour's genesis key and address, and
 * why (refused, or the certificate there is not for the genesis key), never a key's private part.
 */
class DialFailureTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final List<KeyFile> keys = TestNodes.sortedKeys(3); // key 0 dials the others

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private P2pNetwork start(
      KeyFile key,
      int port,
      Map<com.google.protobuf.ByteString, java.net.InetSocketAddress> neighbours)
      throws Exception {
    P2pNetwork n =
        P2pNetwork.start(
            TestNodes.config(CHAIN, key, port, neighbours),
            new RecordingHandler(),
            TestNodes.EMPTY);
    toClose.add(n);
    return n;
  }

  @Test
  void anAddressWhereNobodyListensIsReportedAsRefused() throws Exception {
    P2pNetwork a =
        start(keys.get(0), 0, Map.of(pub(keys.get(1)), TestNodes.local(TestNodes.freePort())));
    await().atMost(WAIT).until(() -> a.dialFailure(pub(keys.get(1))) != null);
    assertEquals("connection refused", a.dialFailure(pub(keys.get(1))));
  }

  @Test
  void aCertificateForAKeyOutsideGenesisIsReportedNamingThatKey() throws Exception {
    int port = TestNodes.freePort();
    // Genesis says key 1 is at this address; key 2, no neighbour of ours, answers there.
    start(keys.get(2), port, Map.of(pub(keys.get(0)), TestNodes.local(TestNodes.freePort())));
    P2pNetwork a = start(keys.get(0), 0, Map.of(pub(keys.get(1)), TestNodes.local(port)));
    await().atMost(WAIT).until(() -> a.dialFailure(pub(keys.get(1))) != null);
    String reason = a.dialFailure(pub(keys.get(1)));
    assertTrue(reason.startsWith("TLS handshake failed: "), reason);
    assertTrue(reason.contains(PeerKeyOrder.shortKey(pub(keys.get(2)))), reason);
    assertFalse(a.connectedPeers().contains(pub(keys.get(2))));
  }

  @Test
  void anotherNeighbourAnsweringAtAnAddressIsReportedNamingIt() throws Exception {
    int port = TestNodes.freePort();
    start(keys.get(2), port, Map.of(pub(keys.get(0)), TestNodes.local(TestNodes.freePort())));
    // Key 1's genesis address is where key 2 listens (as if two sites swapped their addresses).
    P2pNetwork a =
        start(
            keys.get(0),
            0,
            Map.of(
                pub(keys.get(1)), TestNodes.local(port),
                pub(keys.get(2)), TestNodes.local(TestNodes.freePort())));
    await().atMost(WAIT).until(() -> a.dialFailure(pub(keys.get(1))) != null);
    assertEquals(
        "the TLS certificate there is for neighbour "
            + PeerKeyOrder.shortKey(pub(keys.get(2)))
            + ", not for the genesis key of this address",
        a.dialFailure(pub(keys.get(1))));
  }

  @Test
  void connectFailuresAreNamedInWordsNotAsExceptions() {
    assertEquals(
        "host name does not resolve",
        Dialer.reason(new java.net.UnknownHostException("node.st-mary.example")));
    assertEquals(
        "no answer within " + P2pNetwork.CONNECT_TIMEOUT_MS + " ms",
        Dialer.reason(new io.netty.channel.ConnectTimeoutException("connection timed out")));
    assertEquals(
        "connection refused",
        Dialer.reason(new java.net.ConnectException("Connection refused: /127.0.0.3:26656")));
  }

  @Test
  void aWarningIsRepeatedOnlyForANewReasonOrAfterAMinute() {
    DialWarnings w = new DialWarnings();
    assertTrue(w.failed("connection refused", 0));
    assertFalse(w.failed("connection refused", 1));
    assertFalse(w.failed("connection refused", DialWarnings.REPEAT_NANOS - 1));
    assertTrue(w.failed("host name does not resolve", DialWarnings.REPEAT_NANOS));
    assertTrue(w.failed("host name does not resolve", 2 * DialWarnings.REPEAT_NANOS));
    assertEquals(5, w.succeeded());
    assertEquals(0, w.succeeded());
    assertTrue(w.failed("host name does not resolve", 2 * DialWarnings.REPEAT_NANOS + 1));
  }
}
