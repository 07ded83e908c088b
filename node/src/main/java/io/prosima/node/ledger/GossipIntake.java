package io.prosima.node.ledger;

import com.google.protobuf.ByteString;
import io.prosima.p2p.Verdict;
import io.prosima.proto.v1.ConsensusMessage;
import io.prosima.proto.v1.GossipBody;
import io.prosima.proto.v1.Transaction;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node does with gossip from an overlay neighbour, in one place for the node's {@link
 * ConsensusDriver} and the deterministic simulator: consensus messages are checked ({@link
 * ConsensusReplica#admissible}) before they are queued and relayed; compact proposals are rebuilt
 * from the mempool, or wait while the missing transactions are fetched from the neighbours; a
 * transaction batch is admitted and only what admission took is passed on. Thread-safe; the harness
 * supplies queues, threads and the network through {@link Sink}.
 */
public final class GossipIntake {
  /** What the harness provides. */
  public interface Sink {
    /** Queue an admissible consensus message for the replica; false when over a bound. */
    boolean consensus(ConsensusMessage m);

    /** Admit a peer's transactions and pass on what was admitted; false when over a bound. */
    boolean txs(List<Transaction> txs, int bytes);

    /**
     * Ask every neighbour for these transactions (answers to {@link #onTxsFetched}). Not only the
     * one that sent the proposal: a Byzantine neighbour could relay an honest proposal first and
     * withhold its transactions, and the honest copies that follow are duplicates by then.
     */
    void fetch(List<ByteString> txHashes);

    /** Send {@code body} to every neighbour as this node's own gossip. */
    void passOn(GossipBody body);
  }

  private final ConsensusReplica replica;
  private final CompactProposals compacts;

  public GossipIntake(ConsensusReplica replica) {
    this.replica = replica;
    this.compacts = new CompactProposals(replica::pendingTx, replica.blockTxsMax());
    replica.watchFetches(compacts::waitingFor);
  }

  /** A gossip body from {@code neighbour}, seen for the first time: whether p2p relays it. */
  public Verdict onGossip(ByteString neighbour, GossipBody body, long nowNanos, Sink sink) {
    switch (body.getKindCase()) {
      case CONSENSUS -> {
        return consensus(body.getConsensus(), sink);
      }
      case COMPACT_PROPOSAL -> {
        CompactProposals.Received r =
            compacts.receive(body.getCompactProposal(), neighbour, nowNanos);
        if (r.problem() != null) {
          return Verdict.REFUSE;
        }
        if (r.full() == null) {
          // Passed on once rebuilt (onTxsFetched), not relayed now: a neighbour must not have us
          // relay a proposal we cannot check.
          sink.fetch(r.missing());
          return Verdict.TAKEN;
        }
        return consensus(r.full(), sink);
      }
      case TXS -> {
        return sink.txs(body.getTxs().getTxsList(), body.getTxs().getSerializedSize())
            ? Verdict.TAKEN
            : Verdict.REFUSE;
      }
      default -> {
        return Verdict.REFUSE;
      }
    }
  }

  /** Transactions {@code neighbour} sent for our fetch: completed proposals go on as if new. */
  public void onTxsFetched(ByteString neighbour, List<Transaction> txs, long nowNanos, Sink sink) {
    for (CompactProposals.Completed c : compacts.fetched(neighbour, txs, nowNanos)) {
      if (consensus(c.full(), sink) == Verdict.ACCEPT) {
        sink.passOn(c.compact());
      }
    }
  }

  /**
   * A neighbour's fetch: the transactions we hold (mempool, a recently rebuilt proposal, or the
   * chain, for a neighbour that is a little behind).
   */
  public List<Transaction> onTxFetch(List<ByteString> txHashes) {
    List<Transaction> found = new ArrayList<>();
    for (ByteString h : txHashes) {
      Transaction tx = replica.pendingTx(h);
      if (tx == null) {
        tx = compacts.recent(h);
      }
      if (tx == null) {
        tx = replica.committedTx(h);
      }
      if (tx != null) {
        found.add(tx);
      }
    }
    return found;
  }

  /** Compact proposals waiting for fetched transactions (for diagnostics). */
  public int proposalsBeingFetched() {
    return compacts.pendingCount();
  }

  private Verdict consensus(ConsensusMessage m, Sink sink) {
    if (replica.admissible(m) != null) {
      return Verdict.REFUSE;
    }
    return sink.consensus(m) ? Verdict.ACCEPT : Verdict.REFUSE;
  }
}
