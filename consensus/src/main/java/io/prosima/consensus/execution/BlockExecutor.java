package io.prosima.consensus.execution;

import io.prosima.genesis.ValidatorSets;
import io.prosima.proto.v1.ConsensusParams;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.Transaction;
import java.util.ArrayList;
import java.util.List;

/** Executes a block's transactions, in order, on top of committed state. Pure and deterministic. */
public final class BlockExecutor {
  private final Genesis genesis;
  private final ValidatorSets genesisSets;
  private final ConsensusParams params;

  public BlockExecutor(Genesis genesis) {
    this.genesis = genesis;
    this.genesisSets = ValidatorSets.genesisOnly(genesis);
    this.params = genesis.getConsensus();
  }

  /** A transaction that could not be applied, and why. */
  public record Rejected(Transaction tx, byte[] txHash, Refusal refusal) {}

  /** What executing a list of transactions at one height produced. */
  public record Execution(
      List<Transaction> applied,
      List<byte[]> appliedHashes,
      List<Rejected> rejected,
      WriteSet writes,
      byte[] stateHashAfter) {}

  /**
   * Runs every check on each transaction against the state left by the ones before it, applies the
   * ones that pass and rejects the rest. A proposer uses this to build a block; a validator uses it
   * to check one (a valid block has no rejections).
   */
  public Execution execute(
      List<Transaction> txs,
      List<byte[]> txHashes,
      StateReader committed,
      long height,
      byte[] stateHashBefore,
      SignatureCheck signatures) {
    if (txs.size() != txHashes.size()) {
      throw new IllegalArgumentException("one hash per transaction is required");
    }
    LedgerView view = new LedgerView(genesis, genesisSets, committed, new WriteSet());
    List<Transaction> applied = new ArrayList<>(txs.size());
    List<byte[]> appliedHashes = new ArrayList<>(txs.size());
    List<Rejected> rejected = new ArrayList<>();
    for (int i = 0; i < txs.size(); i++) {
      Transaction tx = txs.get(i);
      byte[] hash = txHashes.get(i);
      Refusal refusal = null;
      if (!signatures.preVerified(tx, hash)) {
        refusal = TxRules.checkStateless(tx, genesis.getChainId(), params);
        if (refusal == null) {
          refusal = TxRules.checkSignature(tx);
        }
      }
      if (refusal == null) {
        refusal = TxRules.checkStateful(tx, view, height);
      }
      if (refusal != null) {
        rejected.add(new Rejected(tx, hash, refusal));
        continue;
      }
      Applier.apply(tx, hash, view, height);
      applied.add(tx);
      appliedHashes.add(hash);
    }
    byte[] stateHash = StateHash.next(stateHashBefore, height, view.writes());
    return new Execution(applied, appliedHashes, rejected, view.writes(), stateHash);
  }

  /**
   * Applies a transaction that passed every check to {@code view}, so later transactions of the
   * same admission batch are checked against the state it leaves (an image anchor and its grants
   * can be submitted together).
   */
  public void applyAdmitted(Transaction tx, byte[] txHash, LedgerView view, long height) {
    Applier.apply(tx, txHash, view, height);
  }

  public LedgerView view(StateReader committed) {
    return new LedgerView(genesis, genesisSets, committed, new WriteSet());
  }

  public Genesis genesis() {
    return genesis;
  }
}
