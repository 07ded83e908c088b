package io.prosima.node.ledger;

import io.prosima.consensus.execution.BlockExecutor;
import io.prosima.consensus.execution.LedgerView;
import io.prosima.consensus.execution.StateHash;
import io.prosima.consensus.mempool.Mempool;
import io.prosima.genesis.ValidatorSets;
import io.prosima.proto.v1.Genesis;
import io.prosima.storage.LedgerStore;

/**
 * The state a node's ledger components share: store, executor and mempool. The mempool and every
 * decision that reads committed state then changes the mempool or the store happen under {@link
 * #lock}, so admission and block production see one consistent ledger.
 */
public final class LedgerCore {
  final Object lock = new Object();
  final Genesis genesis;
  final LedgerStore store;
  final BlockExecutor executor;
  final Mempool mempool;
  final CommitHub hub;
  final byte[] genesisStateHash;
  // Set once at wiring time, before any admission or block production starts.
  volatile LedgerEvents events = LedgerEvents.NONE;

  /** The validator sets read at one committed height (state changes only at a commit). */
  private record SetsAt(long height, ValidatorSets sets) {}

  private volatile SetsAt setsAt;

  public LedgerCore(Genesis genesis, LedgerStore store, Mempool mempool) {
    this.genesis = genesis;
    this.store = store;
    this.executor = new BlockExecutor(genesis);
    this.mempool = mempool;
    this.hub = new CommitHub(store.height());
    this.genesisStateHash = StateHash.genesis(genesis);
  }

  public void setEvents(LedgerEvents events) {
    this.events = events;
  }

  public LedgerStore store() {
    return store;
  }

  public Genesis genesis() {
    return genesis;
  }

  public CommitHub hub() {
    return hub;
  }

  public int mempoolSize() {
    synchronized (lock) {
      return mempool.size();
    }
  }

  /**
   * The validator sets as committed state has them: the genesis set and every change applied so
   * far, including one not in force yet. The set of every height up to the tip + {@link
   * ValidatorSets#ACTIVATION_DELAY_HEIGHTS} is final. Safe from any thread.
   */
  public ValidatorSets validatorSets() {
    long tip = store.height();
    SetsAt cached = setsAt;
    if (cached == null || cached.height() != tip) {
      // Read after the height: at worst a newer state under an older height, read again next time.
      cached = new SetsAt(tip, new LedgerView(genesis, store::state).validatorSets());
      setsAt = cached;
    }
    return cached.sets();
  }

  /** State hash after the last committed block (the genesis state hash before any). */
  byte[] stateHashBefore() {
    return store.lastStateHash().orElse(genesisStateHash);
  }
}
