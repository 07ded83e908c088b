package io.prosima.node;

import com.google.protobuf.ByteString;
import io.prosima.p2p.P2pConfig;
import io.prosima.proto.v1.KeyFile;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

/**
 * The p2p limits and timers an operator may tune per node. The frame limit and the gossip ttl are
 * not among them: every node of a chain must agree on those (genesis checks that a proposal fits
 * one frame), so they stay the protocol's constants.
 *
 * @param framesPerSecondPerPeer inbound frames one neighbour may send per second; excess dropped
 * @param outboundBytesMaxPerPeer bytes queued to one neighbour at most; gossip beyond it is dropped
 * @param statusIntervalMs period of the height announcement to each neighbour
 * @param reconnectMinMs first delay before dialing a neighbour again (doubles after each failure)
 * @param reconnectMaxMs largest delay before dialing a neighbour again
 */
public record P2pTuning(
    int framesPerSecondPerPeer,
    long outboundBytesMaxPerPeer,
    long statusIntervalMs,
    long reconnectMinMs,
    long reconnectMaxMs) {

  /**
   * A neighbour closes a connection it has heard nothing on for 10 of its own status intervals and
   * at least 5 s; at 1 s ours stays well inside that even when a few announcements are late.
   */
  public static final long STATUS_INTERVAL_MS_MAX = 1_000;

  public static P2pTuning defaults() {
    return new P2pTuning(
        P2pConfig.FRAMES_PER_SECOND_PER_PEER_DEFAULT,
        P2pConfig.OUTBOUND_BYTES_MAX_PER_PEER_DEFAULT,
        P2pConfig.STATUS_INTERVAL_DEFAULT.toMillis(),
        P2pConfig.RECONNECT_MIN_DEFAULT.toMillis(),
        P2pConfig.RECONNECT_MAX_DEFAULT.toMillis());
  }

  /** Refuses values that cannot work together, naming the config keys. */
  void check() {
    NodeConfig.require(framesPerSecondPerPeer >= 1, "p2pFramesPerSecondPerPeer must be positive");
    NodeConfig.require(
        outboundBytesMaxPerPeer >= P2pConfig.FRAME_BYTES_MAX_DEFAULT,
        "p2pOutboundBytesMaxPerPeer must be >= "
            + P2pConfig.FRAME_BYTES_MAX_DEFAULT
            + " (one frame must fit)");
    NodeConfig.require(
        statusIntervalMs >= 1 && statusIntervalMs <= STATUS_INTERVAL_MS_MAX,
        "p2pStatusIntervalMs must be in 1.." + STATUS_INTERVAL_MS_MAX);
    NodeConfig.require(reconnectMinMs >= 1, "p2pReconnectMinMs must be positive");
    NodeConfig.require(
        reconnectMaxMs >= reconnectMinMs, "p2pReconnectMaxMs must be >= p2pReconnectMinMs");
  }

  /** The transport's configuration with these limits and the protocol's frame limit and ttl. */
  P2pConfig toP2pConfig(
      String chainId,
      KeyFile key,
      InetSocketAddress listen,
      Map<ByteString, InetSocketAddress> neighbours) {
    return new P2pConfig(
        chainId,
        key,
        listen,
        neighbours,
        P2pConfig.FRAME_BYTES_MAX_DEFAULT,
        P2pConfig.GOSSIP_TTL_DEFAULT,
        framesPerSecondPerPeer,
        outboundBytesMaxPerPeer,
        Duration.ofMillis(statusIntervalMs),
        Duration.ofMillis(reconnectMinMs),
        Duration.ofMillis(reconnectMaxMs));
  }
}
