package io.prosima.testnet.sim;

/**
 * Figures of one run.
 *
 * @param heights heights every honest node committed
 * @param endMs simulated time when the run ended
 * @param allCommittedMs simulated time when every honest node had committed the target heights
 * @param consensusMessages signed messages broadcast by the cores (before fan-out)
 * @param sentMessages point-to-point consensus messages put on the network (fan-out, gossip and
 *     sync); transactions are not counted here
 * @param txsSubmitted transactions the simulated clients submitted
 * @param txsCommitted transactions in the decided blocks
 * @param txsAcknowledged transactions committed by the node they were submitted to
 * @param txGossipMessages point-to-point transaction messages put on the network
 * @param compactProposalsSent point-to-point proposals sent compact (transactions by hash)
 * @param fullProposalsSent point-to-point proposals sent with their transactions
 * @param txFetches fetches of transactions a compact proposal named and a mempool lacked
 * @param txBodiesRelayed transactions sent in answer to fetches after an announcement (each is one
 *     body crossing one link)
 * @param storeBytesWritten bytes all nodes' ledger stores handed RocksDB to write (blocks, indexes,
 *     state, vote records), over every incarnation
 */
public record SimResult(
    long seed,
    long heights,
    long endMs,
    long allCommittedMs,
    long consensusMessages,
    long syncMessages,
    long gossipMessages,
    long sentMessages,
    long evidence,
    long crashes,
    long crashesAfterPersistBeforeSend,
    long maxRound,
    long txsSubmitted,
    long txsCommitted,
    long txsAcknowledged,
    long txGossipMessages,
    long compactProposalsSent,
    long fullProposalsSent,
    long txFetches,
    long txBodiesRelayed,
    long storeBytesWritten) {

  public double broadcastsPerBlock() {
    return heights == 0 ? 0 : (double) consensusMessages / heights;
  }

  public double sentPerBlock() {
    return heights == 0 ? 0 : (double) sentMessages / heights;
  }

  /** Bytes the stores wrote per transaction committed (counted once per decided block). */
  public double storeBytesPerCommittedTx() {
    return txsCommitted == 0 ? 0 : (double) storeBytesWritten / txsCommitted;
  }

  public double msPerBlock() {
    return heights == 0 ? 0 : (double) allCommittedMs / heights;
  }
}
