package io.prosima.p2p;

import com.google.protobuf.ByteString;
import io.netty.channel.Channel;

/** One live, authenticated connection to a neighbour. */
final class Peer {
  /** No PeerStatus received yet. */
  static final long HEIGHT_UNKNOWN = -1;

  final ByteString key;
  final String shortKey;
  final Channel channel;
  final boolean outbound;

  /** Last height the neighbour reported. */
  volatile long height = HEIGHT_UNKNOWN;

  Peer(ByteString key, Channel channel, boolean outbound) {
    this.key = key;
    this.shortKey = PeerKeyOrder.shortKey(key);
    this.channel = channel;
    this.outbound = outbound;
  }
}
