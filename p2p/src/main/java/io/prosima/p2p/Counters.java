package io.prosima.p2p;

import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link P2pStats}. */
final class Counters {
  final LongAdder bytesSent = new LongAdder();
  final LongAdder bytesReceived = new LongAdder();
  final LongAdder framesSent = new LongAdder();
  final LongAdder framesReceived = new LongAdder();
  final LongAdder framesDropped = new LongAdder();
  final LongAdder txGossipDropped = new LongAdder();
  final LongAdder duplicatesIgnored = new LongAdder();
  final LongAdder gossipRefused = new LongAdder();
  final LongAdder syncRequestsServed = new LongAdder();
  final LongAdder blocksReceivedBySync = new LongAdder();
  final LongAdder handshakesRefused = new LongAdder();

  P2pStats snapshot(int connectedPeers) {
    return new P2pStats(
        bytesSent.sum(),
        bytesReceived.sum(),
        framesSent.sum(),
        framesReceived.sum(),
        framesDropped.sum(),
        txGossipDropped.sum(),
        duplicatesIgnored.sum(),
        gossipRefused.sum(),
        syncRequestsServed.sum(),
        blocksReceivedBySync.sum(),
        handshakesRefused.sum(),
        connectedPeers);
  }
}
