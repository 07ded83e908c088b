package io.prosima.node.bench;

import io.prosima.node.client.NodeClient;
import io.prosima.proto.v1.BlockResponse;
import io.prosima.proto.v1.GetBlockRequest;
import java.util.Map;
import java.util.TreeMap;

/**
 * The round each height committed in, read back from the chain (every block's commit certificate
 * names its round): a height past round 0 needed a timeout, the thing a byte cap on blocks is meant
 * to prevent.
 */
final class CommitRounds {
  private CommitRounds() {}

  /**
   * "rounds: 57 heights at round 0, 2 at round 1; highest round 1 (height 212, 4270 txs)", naming
   * the largest block of the highest round.
   */
  static String summary(NodeClient node, long fromHeight, long toHeight) {
    Map<Integer, Integer> heightsByRound = new TreeMap<>();
    int highest = -1;
    long highestAt = 0;
    int highestTxs = 0;
    for (long h = fromHeight; h <= toHeight; h++) {
      BlockResponse b = node.query().getBlock(GetBlockRequest.newBuilder().setHeight(h).build());
      int round = b.getCommit().getRound();
      heightsByRound.merge(round, 1, Integer::sum);
      // The largest block among those of the highest round: is size what pushed it past round 0?
      if (round > highest || (round == highest && b.getBlock().getTxsCount() > highestTxs)) {
        highest = round;
        highestAt = h;
        highestTxs = b.getBlock().getTxsCount();
      }
    }
    if (highest < 0) {
      return "rounds: no height committed";
    }
    StringBuilder s = new StringBuilder("rounds: ");
    boolean first = true;
    for (var e : heightsByRound.entrySet()) {
      s.append(first ? "" : ", ")
          .append(e.getValue())
          .append(first ? " heights at round " : " at round ")
          .append(e.getKey());
      first = false;
    }
    return s.append(
            String.format("; highest round %d (height %d, %d txs)", highest, highestAt, highestTxs))
        .toString();
  }
}
