package io.prosima.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.KeyFile;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The small pieces: token bucket, de-duplication window, backoff, key order, config checks. */
class LimitsTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void theTokenBucketAllowsABurstThenTheRate() {
    TokenBucket bucket = new TokenBucket(10, 0);
    int taken = 0;
    for (int i = 0; i < 100; i++) {
      taken += bucket.tryTake(0) ? 1 : 0;
    }
    assertEquals(10, taken);
    assertFalse(bucket.tryTake(SECOND / 20));
    assertTrue(bucket.tryTake(SECOND / 10));
  }

  @Test
  void theByteBucketLetsThroughOneSecondOfBytesThenTheRate() {
    TokenBucket bytes = new TokenBucket(1_000, 0);

    assertTrue(bytes.tryTake(600, 0));
    assertFalse(bytes.tryTake(600, 0), "only 400 left: a frame is taken whole or not at all");
    assertTrue(bytes.tryTake(400, 0));
    assertFalse(bytes.tryTake(200, SECOND / 10));
    assertTrue(bytes.tryTake(200, SECOND / 5));
  }

  @Test
  void pendingHandshakesAreCappedPerAddressAndOverallAndFreedOnRelease() throws Exception {
    PendingHandshakes pending = new PendingHandshakes(3, 2);
    InetAddress a = InetAddress.getByName("10.0.0.1");
    InetAddress b = InetAddress.getByName("10.0.0.2");

    assertTrue(pending.tryAcquire(a));
    assertTrue(pending.tryAcquire(a));
    assertFalse(pending.tryAcquire(a), "per address");
    assertTrue(pending.tryAcquire(b));
    assertFalse(pending.tryAcquire(b), "overall");
    pending.release(a);
    assertTrue(pending.tryAcquire(b));
    assertEquals(3, pending.total());
  }

  @Test
  void theSeenWindowForgetsTheLeastRecentlyAccepted() {
    GossipSeen seen = new GossipSeen(2, SECOND);
    ByteString one = TestNodes.body(1).toByteString();
    ByteString two = TestNodes.body(2).toByteString();
    ByteString three = TestNodes.body(3).toByteString();

    assertTrue(seen.firstSeen(one, 0));
    assertFalse(seen.firstSeen(one, 0));
    assertTrue(seen.firstSeen(two, 0));
    assertTrue(seen.firstSeen(three, 0)); // evicts one
    assertEquals(2, seen.size());
    assertTrue(seen.firstSeen(one, 0));
    assertFalse(seen.firstSeen(three, 0));
  }

  @Test
  void theSeenWindowKeysBodiesByContentNotByClaimedOriginOrSequence() {
    GossipSeen seen = new GossipSeen(10, SECOND);

    assertTrue(seen.firstSeen(TestNodes.body(1).toByteString(), 0));
    assertFalse(seen.firstSeen(TestNodes.body(1).toByteString(), 0), "same bytes, new object");
    assertTrue(seen.firstSeen(TestNodes.body(2).toByteString(), 0));
  }

  @Test
  void anIdenticalBodyFloodsAgainAfterTheExpirySoReSendsTravel() {
    GossipSeen seen = new GossipSeen(10, SECOND);
    ByteString body = TestNodes.body(1).toByteString();

    assertTrue(seen.firstSeen(body, 0));
    assertFalse(seen.firstSeen(body, SECOND - 1));
    assertTrue(seen.firstSeen(body, SECOND));
    assertFalse(seen.firstSeen(body, SECOND + 1), "accepted again: the expiry restarts");
  }

  @Test
  void backoffDoublesWithJitterUpToTheMaximumAndResets() {
    Backoff backoff =
        new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), new SplittableRandom(1));
    long[] bounds = {100, 200, 400, 800, 1000, 1000};
    for (long bound : bounds) {
      long d = backoff.nextDelayMs();
      assertTrue(d >= bound / 2 && d <= bound, d + " not in [" + bound / 2 + ", " + bound + "]");
    }
    backoff.reset();
    assertTrue(backoff.nextDelayMs() <= 100);
  }

  @Test
  void theSmallerKeyDials() {
    ByteString low = ByteString.copyFrom(new byte[] {0x01, (byte) 0xff});
    ByteString high = ByteString.copyFrom(new byte[] {(byte) 0x80, 0x00});

    assertTrue(PeerKeyOrder.weDial(low, high), "bytes compare unsigned");
    assertFalse(PeerKeyOrder.weDial(high, low));
    assertEquals("01ff", PeerKeyOrder.shortKey(low));
  }

  @Test
  void badConfigurationsAreRefused() {
    List<KeyFile> keys = TestNodes.sortedKeys(2);
    KeyFile key = keys.get(0);
    Map<ByteString, java.net.InetSocketAddress> neighbours =
        Map.of(TestNodes.pub(keys.get(1)), TestNodes.local(1));

    assertThrows(
        IllegalArgumentException.class,
        () ->
            P2pConfig.defaults(
                "c", key, TestNodes.local(0), Map.of(TestNodes.pub(key), TestNodes.local(1))));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            P2pConfig.defaults(
                "c",
                key.toBuilder().setEd25519PublicKey(TestNodes.pub(keys.get(1))).build(),
                TestNodes.local(0),
                Map.of()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new P2pConfig(
                "c",
                key,
                TestNodes.local(0),
                neighbours,
                P2pConfig.FRAME_BYTES_MIN - 1,
                8,
                100,
                1L << 30,
                Duration.ofMillis(500),
                Duration.ofMillis(100),
                Duration.ofSeconds(5)));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new P2pConfig(
                "c",
                key,
                TestNodes.local(0),
                neighbours,
                P2pConfig.FRAME_BYTES_MAX_DEFAULT,
                8,
                100,
                P2pConfig.FRAME_BYTES_MAX_DEFAULT - 1,
                Duration.ofMillis(500),
                Duration.ofMillis(100),
                Duration.ofSeconds(5)));
    // A frame larger than a neighbour may send per second, or than sync may hold, is refused.
    int frameTooBig = (int) P2pConfig.INBOUND_BYTES_PER_SECOND_PER_PEER_MAX + 1;
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new P2pConfig(
                "c",
                key,
                TestNodes.local(0),
                neighbours,
                frameTooBig,
                8,
                100,
                1L << 30,
                Duration.ofMillis(500),
                Duration.ofMillis(100),
                Duration.ofSeconds(5)));
    P2pConfig ok = P2pConfig.defaults("c", key, TestNodes.local(0), neighbours);
    assertFalse(ok.toString().contains("ed25519"), "no key material in toString");
  }
}
