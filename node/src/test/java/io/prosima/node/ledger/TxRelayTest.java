package io.prosima.node.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TxRelayTest {
  private static final long TIMEOUT = 1_000;
  private static final ByteString A = ByteString.copyFromUtf8("neighbour-a");
  private static final ByteString B = ByteString.copyFromUtf8("neighbour-b");
  private static final ByteString C = ByteString.copyFromUtf8("neighbour-c");

  /** Every frame the relay sent, in order. */
  private static final class Frames implements TxRelay.Net {
    final List<String> sent = new ArrayList<>();

    @Override
    public void announce(ByteString neighbour, List<ByteString> txHashes) {
      sent.add("announce " + neighbour.toStringUtf8() + " " + txHashes.size());
    }

    @Override
    public void request(ByteString neighbour, List<ByteString> txHashes) {
      sent.add("request " + neighbour.toStringUtf8() + " " + txHashes.size());
    }
  }

  private static ByteString hash(int i) {
    byte[] h = new byte[32];
    h[0] = (byte) i;
    h[1] = (byte) (i >> 8);
    return ByteString.copyFrom(h);
  }

  private static List<ByteString> hashes(int from, int to) {
    List<ByteString> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(hash(i));
    }
    return out;
  }

  @Test
  void anAnnouncedTransactionIsRequestedOnceFromTheFirstAnnouncer() {
    Frames net = new Frames();
    TxRelay relay = new TxRelay(h -> false, TIMEOUT);
    relay.onAnnounce(A, hashes(0, 3), 0, net);
    relay.onAnnounce(B, hashes(0, 3), 10, net); // the same three: already asked of A
    assertEquals(List.of("request neighbour-a 3"), net.sent);
    assertEquals(3, relay.inFlightCount());
  }

  @Test
  void whatTheNodeAlreadyHoldsIsNeverRequested() {
    Frames net = new Frames();
    Set<ByteString> held = new HashSet<>(hashes(0, 2));
    TxRelay relay = new TxRelay(held::contains, TIMEOUT);
    relay.onAnnounce(A, hashes(0, 5), 0, net);
    assertEquals(List.of("request neighbour-a 3"), net.sent);
  }

  @Test
  void aWithheldAnswerIsAskedOfTheNextAnnouncerAfterTheTimeout() {
    Frames net = new Frames();
    TxRelay relay = new TxRelay(h -> false, TIMEOUT);
    relay.onAnnounce(A, hashes(0, 2), 0, net);
    relay.onAnnounce(B, hashes(0, 2), 5, net);
    relay.tick(TIMEOUT - 1, net); // not yet
    assertEquals(List.of("request neighbour-a 2"), net.sent);
    relay.tick(TIMEOUT, net);
    assertEquals(List.of("request neighbour-a 2", "request neighbour-b 2"), net.sent);
  }

  @Test
  void withNoOtherAnnouncerTheSameNeighbourIsAskedAgainThenTheRequestIsDropped() {
    Frames net = new Frames();
    TxRelay relay = new TxRelay(h -> false, TIMEOUT);
    relay.onAnnounce(A, hashes(0, 1), 0, net);
    for (int i = 1; i <= TxRelay.ATTEMPTS_MAX + 2; i++) {
      relay.tick(i * TIMEOUT, net);
    }
    assertEquals(TxRelay.ATTEMPTS_MAX, net.sent.size(), net.sent.toString());
    assertTrue(net.sent.stream().allMatch("request neighbour-a 1"::equals), net.sent.toString());
    assertEquals(0, relay.inFlightCount());
    // Dropped, it can be asked for again when announced again.
    relay.onAnnounce(C, hashes(0, 1), 100 * TIMEOUT, net);
    assertEquals("request neighbour-c 1", net.sent.get(net.sent.size() - 1));
  }

  @Test
  void admittedTransactionsAreAnnouncedOnlyToNeighboursNotKnownToHoldThem() {
    Frames net = new Frames();
    TxRelay relay = new TxRelay(h -> false, TIMEOUT);
    relay.onAnnounce(A, hashes(0, 4), 0, net); // A holds 0..3
    relay.heldBy(B, hashes(0, 2)); // B asked us for 0..1
    net.sent.clear();
    relay.admitted(hashes(0, 4), List.of(A, B, C), net);
    assertEquals(Set.of("announce neighbour-b 2", "announce neighbour-c 4"), Set.copyOf(net.sent));
    // Admitted, they are no longer in flight: a late timeout asks no one.
    relay.tick(10 * TIMEOUT, net);
    assertEquals(2, net.sent.size(), net.sent.toString());
  }

  @Test
  void malformedHashesAndFloodsOfAnnouncementsStayBounded() {
    Frames net = new Frames();
    TxRelay relay = new TxRelay(h -> false, TIMEOUT);
    relay.onAnnounce(A, List.of(ByteString.copyFromUtf8("short")), 0, net);
    assertEquals(List.of(), net.sent);
    int n = TxRelay.IN_FLIGHT_MAX + 100;
    for (int start = 0; start < n; start += TxRelay.HASHES_PER_FRAME_MAX) {
      List<ByteString> batch = new ArrayList<>();
      for (int i = start; i < Math.min(n, start + TxRelay.HASHES_PER_FRAME_MAX); i++) {
        byte[] h = new byte[32];
        h[0] = (byte) i;
        h[1] = (byte) (i >> 8);
        h[2] = (byte) (i >> 16);
        batch.add(ByteString.copyFrom(h));
      }
      relay.onAnnounce(A, batch, 0, net);
    }
    assertEquals(TxRelay.IN_FLIGHT_MAX, relay.inFlightCount());
  }
}
