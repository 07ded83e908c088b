package io.prosima.p2p;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.GossipBody;
import io.prosima.proto.v1.Transaction;
import java.util.List;

/** What the p2p transport hands to the node. Both methods run on a Netty thread. */
public interface P2pHandler {
  /**
   * A gossip body seen for the first time, from overlay neighbour {@code neighbour}. Never called
   * for our own broadcasts. Called on a Netty thread: must not block. The body is not verified by
   * p2p: it carries its own signatures, which the node checks.
   *
   * @return {@link Verdict#ACCEPT} to relay the body onward, {@link Verdict#REFUSE} to drop it. It
   *     is relayed only after this returns, so a neighbour cannot make us flood what the node would
   *     refuse (and one byte-heavy body costs at most one hop).
   */
  Verdict onGossip(ByteString neighbour, ByteString origin, GossipBody body);

  /**
   * Sync: consecutive blocks a neighbour sent in answer to our request, starting at the height we
   * asked for. p2p does not verify blocks or commit certificates: the node must check them before
   * applying. Must not block.
   *
   * @return {@link Verdict#REFUSE} when the node can tell already that the blocks are bad: the
   *     neighbour loses sync score and the next request goes to another neighbour if one is ahead.
   */
  Verdict onSyncedBlocks(ByteString peer, List<CommittedBlock> blocks);

  /**
   * A neighbour asks for transactions by hash (those a compact proposal we sent names and its
   * mempool lacks): the ones we have, in any order. Called off the event loops; may block briefly.
   */
  default List<Transaction> onTxFetch(ByteString neighbour, List<ByteString> txHashes) {
    return List.of();
  }

  /** Transactions a neighbour sent in answer to our {@link P2pNetwork#fetchTxs}. Must not block. */
  default void onTxsFetched(ByteString neighbour, List<Transaction> txs) {}

  /**
   * A neighbour announced transactions it holds (hashes, unverified: at most {@link
   * P2pNetwork#TX_FETCH_HASHES_MAX}). Must not block.
   */
  default void onTxAnnounce(ByteString neighbour, List<ByteString> txHashes) {}
}
