package io.prosima.node.ledger;

import com.google.protobuf.ByteString;
import io.prosima.p2p.Verdict;
import io.prosima.proto.v1.ConsensusMessage;
import io.prosima.proto.v1.GossipBody;
import io.prosima.proto.v1.Transaction;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What a node does with gossip from an overlay neighbour, in one place for the node's {@link
 * ConsensusDriver} and the deterministic simulator: consensus messages are checked ({@link
 * ConsensusReplica#admissible}) before they are queued and relayed; compact proposals are rebuilt
 * from the mempool, or wait while the missing transactions are fetched from the neighbours;
 * transactions travel by announcement and request ({@link TxRelay}), and only what admission took
 * is announced on. Thread-safe; the harness supplies queues, threads and the network through {@link
 * Sink}.
 */
public final class GossipIntake {
  /** What the harness provides. */
  public interface Sink extends TxRelay.Net {
    /** The neighbours connected now (announcements go to them). */
    Collection<ByteString> neighbours();

    /** Queue an admissible consensus message for the replica; false when over a bound. */
    boolean consensus(ConsensusMessage m);

    /**
     * Admit a peer's transactions, then hand the hashes of those admitted to {@link #admitted}
     * (which announces them); false when over a bound.
     */
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
  private final TxRelay relay;

  public GossipIntake(ConsensusReplica replica) {
    this.replica = replica;
    this.compacts = new CompactProposals(replica::pendingTx, replica.blockTxsMax());
    this.relay = new TxRelay(h -> replica.pendingTx(h) != null || replica.committedTx(h) != null);
    replica.watchFetches(compacts::waitingFor);
  }

  /** This node took these transactions into its mempool: announce them to the neighbours. */
  public void admitted(List<ByteString> txHashes, Sink sink) {
    if (!txHashes.isEmpty()) {
      relay.admitted(txHashes, sink.neighbours(), sink);
    }
  }

  /** {@code neighbour} announced transactions: fetch the ones we lack. */
  public void onTxAnnounce(
      ByteString neighbour, List<ByteString> txHashes, long nowNanos, Sink sink) {
    relay.onAnnounce(neighbour, txHashes, nowNanos, sink);
  }

  /**
   * Periodically (a few times a second): announced transactions not delivered in time, and
   * transactions of waiting proposals asked for again.
   */
  public void tick(long nowNanos, Sink sink) {
    relay.tick(nowNanos, sink);
    List<ByteString> again = compacts.toFetchAgain(nowNanos, replica.height() + 1);
    for (int i = 0; i < again.size(); i += TxRelay.HASHES_PER_FRAME_MAX) {
      sink.fetch(again.subList(i, Math.min(again.size(), i + TxRelay.HASHES_PER_FRAME_MAX)));
    }
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

  /**
   * Transactions {@code neighbour} sent for our fetch: completed proposals go on as if new, and the
   * transactions go to admission (those we asked for after an announcement, mostly).
   */
  public void onTxsFetched(ByteString neighbour, List<Transaction> txs, long nowNanos, Sink sink) {
    for (CompactProposals.Completed c : compacts.fetched(neighbour, txs, nowNanos)) {
      if (consensus(c.full(), sink) == Verdict.ACCEPT) {
        sink.passOn(c.compact());
      }
    }
    if (!txs.isEmpty()) {
      int bytes = 0;
      for (Transaction tx : txs) {
        bytes += tx.getSerializedSize();
      }
      sink.txs(txs, bytes);
    }
  }

  /**
   * A neighbour's fetch: the transactions we hold (mempool, a recently rebuilt proposal, or the
   * chain, for a neighbour that is a little behind). The neighbour will hold them, so they are not
   * announced to it.
   */
  public List<Transaction> onTxFetch(ByteString neighbour, List<ByteString> txHashes) {
    relay.heldBy(neighbour, txHashes);
    List<Transaction> found = new ArrayList<>();
    for (ByteString h : txHashes) {
      Transaction tx = replica.pendingTx(h);
      if (tx == null) {
        tx = compacts.recent(h);
      }
      if (tx == null) {
        tx = replica.signedBlockTx(h);
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
