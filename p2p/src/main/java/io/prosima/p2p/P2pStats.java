package io.prosima.p2p;

/**
 * Counters since start.
 *
 * @param bytesSent TLS bytes written to sockets
 * @param bytesReceived TLS bytes read from sockets
 * @param framesSent frames handed to a connection
 * @param framesReceived frames parsed from neighbours
 * @param framesDropped frames dropped: inbound over the frame or byte rate limit, outbound over the
 *     byte bound (gossip, status and sync answers), bad or oversized frames, unexpected sync
 *     responses
 * @param txGossipDropped of those, transaction batches not written to a neighbour because its queue
 *     already held the transaction gossip bound (consensus messages keep the rest of the queue)
 * @param duplicatesIgnored gossip already seen (or our own coming back)
 * @param gossipRefused gossip bodies the node refused ({@link Verdict#REFUSE}), not relayed
 * @param syncRequestsServed sync requests answered
 * @param blocksReceivedBySync blocks delivered to {@link P2pHandler#onSyncedBlocks}
 * @param handshakesRefused inbound connections closed before TLS because too many were pending
 *     (overall or from their address)
 * @param connectedPeers neighbours connected now
 */
public record P2pStats(
    long bytesSent,
    long bytesReceived,
    long framesSent,
    long framesReceived,
    long framesDropped,
    long txGossipDropped,
    long duplicatesIgnored,
    long gossipRefused,
    long syncRequestsServed,
    long blocksReceivedBySync,
    long handshakesRefused,
    int connectedPeers) {}
