package io.prosima.node.ledger;

import io.prosima.consensus.execution.BlockExecutor;
import io.prosima.consensus.execution.StateHash;
import io.prosima.consensus.mempool.Mempool;
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

  /** State hash after the last committed block (the genesis state hash before any). */
  byte[] stateHashBefore() {
    return store.lastStateHash().orElse(genesisStateHash);
  }
}
