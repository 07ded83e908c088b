package io.prosima.node.ledger;

import com.google.protobuf.ByteString;
import io.prosima.consensus.execution.LedgerView;
import io.prosima.consensus.execution.Refusal;
import io.prosima.consensus.execution.TxRules;
import io.prosima.proto.v1.RefusalCode;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.wire.TxCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Admits transactions to the mempool. The expensive, state-free part (hashing, envelope checks,
 * Ed25519 verification) runs in parallel on all verify threads; the state checks and the mempool
 * insert then run in submission order under the ledger lock.
 */
public final class TxAdmission implements AutoCloseable {
  private final LedgerCore core;
  private final ForkJoinPool verifiers;
  private final long clientPendingBytesMax;
  private final long clientPendingTxsMax;

  /**
   * Client transactions are refused ("busy, retry later") while the mempool already holds this many
   * full blocks' worth of transactions, in bytes or in count. Without the bound a flood queued in
   * the mempool: at 3,000 tx/s offered, 4 validators held 200,000 txs and the median committed tx
   * had waited 18 s; every queued tx had also been verified, on cores the consensus needed. Refused
   * before any signature check, a flood now costs a node little; peers' gossip is not bound by it
   * (it carries transactions other validators already admitted).
   */
  public static final int DEFAULT_CLIENT_PENDING_BLOCKS = 3;

  /** Bound on {@link #verifiedInBlocks}; cleared when reached. */
  static final int VERIFIED_IN_BLOCKS_MAX = 200_000;

  private final Set<ByteString> verifiedInBlocks = ConcurrentHashMap.newKeySet();
  // A block under vote must not queue behind a flood of admissions: its checks have their own
  // threads, and the OS shares the cores between the two pools.
  private final ForkJoinPool blockVerifiers;
  // Told the hashes of transactions clients submitted here and the mempool took, to announce them.
  private volatile Consumer<List<ByteString>> admittedLocally = hashes -> {};

  public TxAdmission(LedgerCore core, int verifyThreads) {
    this(core, verifyThreads, DEFAULT_CLIENT_PENDING_BLOCKS);
  }

  /**
   * @param clientPendingBlocks client transactions are refused while the mempool holds this many
   *     blocks' worth (genesis block limits) or more
   */
  public TxAdmission(LedgerCore core, int verifyThreads, int clientPendingBlocks) {
    if (clientPendingBlocks < 1) {
      throw new IllegalArgumentException("clientPendingBlocks must be at least 1");
    }
    var params = core.genesis.getConsensus();
    this.clientPendingBytesMax = clientPendingBlocks * params.getBlockBytesMax();
    this.clientPendingTxsMax = (long) clientPendingBlocks * params.getBlockTxsMax();
    this.core = core;
    this.verifiers = new ForkJoinPool(verifyThreads);
    this.blockVerifiers = new ForkJoinPool(verifyThreads);
  }

  /** Called with the hashes of each batch of client-submitted transactions the mempool admitted. */
  public void onAdmittedLocally(Consumer<List<ByteString>> listener) {
    this.admittedLocally = listener;
  }

  /** The hash of each transaction and, when refused, why (null when admitted). */
  public record Admitted(byte[][] hashes, Refusal[] refusals) {}

  /** Hashes every transaction (in parallel); callers register commit waiters with these. */
  public byte[][] hashAll(List<Transaction> txs) {
    return hashAll(verifiers, txs);
  }

  /** {@link #hashAll} for the consensus thread, on the block checkers' threads. */
  byte[][] hashBlock(List<Transaction> txs) {
    return hashAll(blockVerifiers, txs);
  }

  private byte[][] hashAll(ForkJoinPool pool, List<Transaction> txs) {
    byte[][] hashes = new byte[txs.size()][];
    runParallel(pool, txs.size(), i -> hashes[i] = TxCodec.hash(txs.get(i)));
    return hashes;
  }

  /**
   * Admits transactions a client submitted to this node; admitted ones go on to peers. While the
   * mempool is full to the client bound, the batch's tail is refused with {@link
   * RefusalCode#REFUSAL_MEMPOOL_FULL} (a prefix is admitted, so the client retries from the first
   * refused one with its nonces still in order).
   */
  public Admitted admit(List<Transaction> txs, byte[][] hashes) {
    return admitAndPassOn(txs, hashes, true);
  }

  /**
   * Admits a transaction this node made itself (evidence) and passes it on: not held back by the
   * client bound, since a busy chain is when evidence matters.
   */
  Admitted admitOwn(List<Transaction> txs) {
    return admitAndPassOn(txs, hashAll(txs), false);
  }

  private Admitted admitAndPassOn(List<Transaction> txs, byte[][] hashes, boolean bounded) {
    Refusal[] refusals = new Refusal[txs.size()];
    if (bounded) {
      refuseOverClientBound(txs, refusals);
    }
    Admitted result = admit(txs, hashes, refusals, false);
    List<ByteString> taken = new ArrayList<>();
    for (int i = 0; i < txs.size(); i++) {
      if (result.refusals[i] == null) {
        taken.add(ByteString.copyFrom(hashes[i]));
      }
    }
    if (!taken.isEmpty()) {
      admittedLocally.accept(taken);
    }
    return result;
  }

  /** Admits transactions a peer passed on; nothing is passed on again (gossip relays them). */
  public Admitted admitFromPeer(List<Transaction> txs) {
    return admit(txs, hashAll(txs), new Refusal[txs.size()], true);
  }

  /** Refuses the tail of a client batch that would take the mempool past the client bound. */
  private void refuseOverClientBound(List<Transaction> txs, Refusal[] refusals) {
    long pendingBytes;
    long pendingTxs;
    synchronized (core.lock) {
      pendingBytes = core.mempool.bytes();
      pendingTxs = core.mempool.size();
    }
    for (int i = 0; i < txs.size(); i++) {
      pendingBytes += txs.get(i).getSerializedSize();
      pendingTxs++;
      if (pendingBytes > clientPendingBytesMax || pendingTxs > clientPendingTxsMax) {
        Refusal busy =
            Refusal.of(
                RefusalCode.REFUSAL_MEMPOOL_FULL,
                "node is busy: "
                    + (pendingTxs - 1 - i)
                    + " transactions wait for a block; retry this one and the rest later");
        for (int j = i; j < txs.size(); j++) {
          refusals[j] = busy;
        }
        return;
      }
    }
  }

  private void refuseKnown(byte[][] hashes, Refusal[] refusals) {
    synchronized (core.lock) {
      for (int i = 0; i < hashes.length; i++) {
        if (core.mempool.contains(hashes[i])) {
          refusals[i] = Refusal.of(RefusalCode.REFUSAL_DUPLICATE, "transaction is already pending");
        }
      }
    }
    for (int i = 0; i < hashes.length; i++) {
      if (refusals[i] == null) {
        refusals[i] = alreadyCommitted(hashes[i]);
      }
    }
  }

  /**
   * A proposal can bring a transaction before its gossip copy arrives; the copy would then be
   * verified a second time. The hashes of transactions verified in proposals are kept (bounded) so
   * that admission skips their signature check.
   */
  private void rememberVerified(byte[] hash) {
    if (verifiedInBlocks.size() >= VERIFIED_IN_BLOCKS_MAX) {
      verifiedInBlocks.clear();
    }
    verifiedInBlocks.add(ByteString.copyFrom(hash));
  }

  private Refusal alreadyCommitted(byte[] hash) {
    var committedAt = core.store.txLocation(hash);
    return committedAt.isEmpty()
        ? null
        : Refusal.of(
            RefusalCode.REFUSAL_DUPLICATE,
            "transaction is already committed at height " + committedAt.get().getHeight());
  }

  /**
   * The stateless and signature checks of a proposed block's transactions, in parallel; entries
   * with {@code known[i]} set (already verified at admission) are skipped. Null means it passed.
   */
  public Refusal[] verify(List<Transaction> txs, byte[][] hashes, boolean[] known) {
    Refusal[] refusals = new Refusal[txs.size()];
    String chainId = core.genesis.getChainId();
    var params = core.genesis.getConsensus();
    runParallel(
        blockVerifiers,
        txs.size(),
        i -> {
          if (!known[i]) {
            Refusal r = TxRules.checkStateless(txs.get(i), chainId, params);
            refusals[i] = r != null ? r : TxRules.checkSignature(txs.get(i));
            if (refusals[i] == null) {
              rememberVerified(hashes[i]);
            }
          }
        });
    return refusals;
  }

  /** Entries of {@code refusals} already set are refused before any check. */
  private Admitted admit(
      List<Transaction> txs, byte[][] hashes, Refusal[] refusals, boolean fromPeer) {
    int n = txs.size();
    String chainId = core.genesis.getChainId();
    var params = core.genesis.getConsensus();
    // Signature checks are the dominant cost: skip transactions already pending or committed (a
    // peer's copy arriving after the block that carried it, or through a second neighbour).
    refuseKnown(hashes, refusals);
    runParallel(
        verifiers,
        n,
        i -> {
          if (refusals[i] != null) {
            return;
          }
          Transaction tx = txs.get(i);
          Refusal r = TxRules.checkStateless(tx, chainId, params);
          if (r == null && !verifiedInBlocks.contains(ByteString.copyFrom(hashes[i]))) {
            r = TxRules.checkSignature(tx);
          }
          refusals[i] = r;
        });
    long admittedAt = System.nanoTime();
    synchronized (core.lock) {
      long nextHeight = core.store.height() + 1;
      LedgerView view = core.executor.view(core.store::state);
      for (int i = 0; i < n; i++) {
        if (refusals[i] != null) {
          continue;
        }
        Transaction tx = txs.get(i);
        refusals[i] = alreadyCommitted(hashes[i]);
        if (refusals[i] != null) {
          continue;
        }
        Refusal r = TxRules.checkStateful(tx, view, nextHeight);
        if (r == null) {
          r = core.mempool.add(tx, hashes[i], view.lastNonce(tx.getSigner()), admittedAt);
        }
        if (r == null) {
          // Later txs of this batch see this one's effects (an anchor, then its grants); the
          // proposer still re-executes everything in block order.
          core.executor.applyAdmitted(tx, hashes[i], view, nextHeight);
        }
        refusals[i] = r;
      }
    }
    int ok = 0;
    for (Refusal r : refusals) {
      if (r == null) {
        ok++;
      } else if (!fromPeer) {
        // A peer's duplicates (the same tx through two neighbours) are not client refusals.
        core.events.refused(r.code());
      }
    }
    core.events.admitted(ok);
    return new Admitted(hashes, refusals);
  }

  private static void runParallel(ForkJoinPool pool, int n, java.util.function.IntConsumer body) {
    if (n < 64) {
      // Not worth a hand-off for a few transactions.
      for (int i = 0; i < n; i++) {
        body.accept(i);
      }
      return;
    }
    try {
      pool.submit(() -> IntStream.range(0, n).parallel().forEach(body)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while verifying transactions", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("transaction verification failed", e.getCause());
    }
  }

  @Override
  public void close() {
    verifiers.shutdownNow();
    blockVerifiers.shutdownNow();
  }
}
