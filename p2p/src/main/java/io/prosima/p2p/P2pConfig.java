package io.prosima.p2p;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.wire.Ed25519Keys;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of one node's p2p transport. The constructor checks every limit and the relations
 * between them, and throws {@link IllegalArgumentException} on a bad configuration.
 *
 * @param chainId chain id exchanged in Hello; a peer of another chain is disconnected
 * @param key our identity (Ed25519); its certificate is presented in TLS
 * @param listen address to accept neighbours on (port 0 picks a free port, see {@link
 *     P2pNetwork#port()})
 * @param neighbours overlay neighbours: Ed25519 public key to p2p address; only these may connect
 * @param frameBytesMax max frame size including the 4-byte length prefix, both directions
 * @param gossipTtl hops a gossip travels
 * @param framesPerSecondPerPeer inbound token bucket per peer; excess frames are dropped and
 *     counted
 * @param outboundBytesMaxPerPeer bound on bytes queued to one peer; beyond it gossip to that peer
 *     is dropped and counted
 * @param statusInterval period of PeerStatus to each neighbour
 * @param reconnectMin first reconnect delay (exponential backoff with jitter)
 * @param reconnectMax largest reconnect delay
 */
public record P2pConfig(
    String chainId,
    KeyFile key,
    InetSocketAddress listen,
    Map<ByteString, InetSocketAddress> neighbours,
    int frameBytesMax,
    int gossipTtl,
    int framesPerSecondPerPeer,
    long outboundBytesMaxPerPeer,
    Duration statusInterval,
    Duration reconnectMin,
    Duration reconnectMax) {

  public static final int FRAME_BYTES_MAX_DEFAULT = 32 * 1024 * 1024;
  public static final int GOSSIP_TTL_DEFAULT = 8;
  public static final int FRAMES_PER_SECOND_PER_PEER_DEFAULT = 20_000;
  public static final long OUTBOUND_BYTES_MAX_PER_PEER_DEFAULT = 64L * 1024 * 1024;
  public static final Duration STATUS_INTERVAL_DEFAULT = Duration.ofMillis(500);
  public static final Duration RECONNECT_MIN_DEFAULT = Duration.ofMillis(100);
  public static final Duration RECONNECT_MAX_DEFAULT = Duration.ofSeconds(5);

  /** The smallest frame limit: a sync response keeps this much headroom below the limit. */
  static final int SYNC_RESPONSE_HEADROOM_BYTES = 64 * 1024;

  static final int FRAME_BYTES_MIN = 2 * SYNC_RESPONSE_HEADROOM_BYTES;

  /**
   * Inbound bytes one neighbour may hand us per second (one second of burst); frames past it are
   * dropped and counted. Bounds what a neighbour can make the node hold between its checks.
   */
  public static final long INBOUND_BYTES_PER_SECOND_PER_PEER_MAX = 32L * 1024 * 1024;

  /**
   * Inbound connections not yet authenticated (TCP accepted, TLS handshake not done), over all
   * remote addresses; more are closed at once. Each costs a TLS engine and handshake work to anyone
   * who can reach the port, key or no key.
   */
  public static final int PENDING_HANDSHAKES_MAX = 128;

  /**
   * The same, per remote IP address: one host cannot take every slot. Neighbours on one host (a
   * local testnet) share it, but their handshakes are short and refused dialers retry.
   */
  public static final int PENDING_HANDSHAKES_PER_ADDRESS_MAX = 16;

  /**
   * Sync: bytes of blocks handed to the node and not yet applied, plus the answer in flight. No
   * further request goes out past it until the node applies (or the delivery goes stale).
   */
  public static final long SYNC_HELD_BYTES_MAX = 64L * 1024 * 1024;

  /**
   * Sync: a neighbour's claimed height counts only this far above the best other claim (or ours),
   * until others confirm it or we apply blocks; an unsigned claim cannot make us think we are far
   * behind.
   */
  public static final long SYNC_CLAIM_LEAD_MAX_HEIGHTS = 256;

  /** Keeps a peer's claimed ttl (and so the flood) bounded. */
  static final int GOSSIP_TTL_MAX = 64;

  public P2pConfig {
    Objects.requireNonNull(chainId, "chainId");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(statusInterval, "statusInterval");
    Objects.requireNonNull(reconnectMin, "reconnectMin");
    Objects.requireNonNull(reconnectMax, "reconnectMax");
    neighbours = Map.copyOf(neighbours);
    check(!chainId.isBlank(), "chainId must not be blank");
    check(
        key.getEd25519PrivateKey().size() == Ed25519Keys.PRIVATE_KEY_BYTES
            && key.getEd25519PublicKey().size() == Ed25519Keys.PUBLIC_KEY_BYTES,
        "key must hold a raw Ed25519 key pair");
    check(
        Arrays.equals(
            Ed25519Keys.publicKey(key.getEd25519PrivateKey().toByteArray()),
            key.getEd25519PublicKey().toByteArray()),
        "key's Ed25519 public key does not match its private key");
    check(!neighbours.containsKey(key.getEd25519PublicKey()), "we cannot be our own neighbour");
    for (ByteString n : neighbours.keySet()) {
      check(n.size() == Ed25519Keys.PUBLIC_KEY_BYTES, "neighbour keys must be 32-byte Ed25519");
    }
    check(
        neighbours.size() <= PENDING_HANDSHAKES_MAX,
        "at most " + PENDING_HANDSHAKES_MAX + " neighbours: all must be able to connect at once");
    check(frameBytesMax >= FRAME_BYTES_MIN, "frameBytesMax must be >= " + FRAME_BYTES_MIN);
    check(gossipTtl >= 1 && gossipTtl <= GOSSIP_TTL_MAX, "gossipTtl must be 1.." + GOSSIP_TTL_MAX);
    check(framesPerSecondPerPeer >= 1, "framesPerSecondPerPeer must be >= 1");
    check(
        INBOUND_BYTES_PER_SECOND_PER_PEER_MAX >= frameBytesMax,
        "frameBytesMax must be <= "
            + INBOUND_BYTES_PER_SECOND_PER_PEER_MAX
            + " (the inbound bytes a neighbour may send in one second)");
    check(
        SYNC_HELD_BYTES_MAX >= frameBytesMax,
        "frameBytesMax must be <= " + SYNC_HELD_BYTES_MAX + " (sync must hold one answer)");
    check(
        outboundBytesMaxPerPeer >= frameBytesMax,
        "outboundBytesMaxPerPeer must be >= frameBytesMax (one frame must fit)");
    check(!statusInterval.isNegative() && !statusInterval.isZero(), "statusInterval must be > 0");
    check(!reconnectMin.isNegative() && !reconnectMin.isZero(), "reconnectMin must be > 0");
    check(reconnectMax.compareTo(reconnectMin) >= 0, "reconnectMax must be >= reconnectMin");
  }

  /**
   * Defaults: frames up to 32 MiB, ttl 8, 20 000 frames/s per peer, 64 MiB queued per peer, status
   * every 500 ms, reconnect after 100 ms doubling up to 5 s.
   */
  public static P2pConfig defaults(
      String chainId,
      KeyFile key,
      InetSocketAddress listen,
      Map<ByteString, InetSocketAddress> neighbours) {
    return new P2pConfig(
        chainId,
        key,
        listen,
        neighbours,
        FRAME_BYTES_MAX_DEFAULT,
        GOSSIP_TTL_DEFAULT,
        FRAMES_PER_SECOND_PER_PEER_DEFAULT,
        OUTBOUND_BYTES_MAX_PER_PEER_DEFAULT,
        STATUS_INTERVAL_DEFAULT,
        RECONNECT_MIN_DEFAULT,
        RECONNECT_MAX_DEFAULT);
  }

  /** Our Ed25519 public key. */
  public ByteString publicKey() {
    return key.getEd25519PublicKey();
  }

  // A record's toString would print the key file, private key included.
  @Override
  public String toString() {
    return "P2pConfig[chainId="
        + chainId
        + ", key="
        + PeerKeyOrder.shortKey(publicKey())
        + ", listen="
        + listen
        + ", neighbours="
        + neighbours.size()
        + ", frameBytesMax="
        + frameBytesMax
        + ", gossipTtl="
        + gossipTtl
        + "]";
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
