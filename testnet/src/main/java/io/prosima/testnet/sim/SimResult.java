package io.prosima.testnet.sim;

/**
 * Figures of one run.
 *
 * @param heights heights every honest node committed
 * @param endMs simulated time when the run ended
 * @param allCommittedMs simulated time when every honest node had committed {@code heights}
 */
public record SimResult(
    long seed,
    long heights,
    long endMs,
    long allCommittedMs,
    long consensusMessages,
    long syncMessages,
    long gossipMessages,
    long evidence,
    long crashes,
    long maxRound) {

  public double messagesPerBlock() {
    return heights == 0 ? 0 : (double) consensusMessages / heights;
  }

  public double msPerBlock() {
    return heights == 0 ? 0 : (double) allCommittedMs / heights;
  }
}
