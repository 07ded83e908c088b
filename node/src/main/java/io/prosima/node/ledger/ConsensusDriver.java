package io.prosima.node.ledger;

import com.google.protobuf.ByteString;
import io.prosima.consensus.bft.Action;
import io.prosima.consensus.bft.BftConfig;
import io.prosima.consensus.bft.BftCore;
import io.prosima.consensus.bft.Event;
import io.prosima.consensus.bft.SignedVoteRecord;
import io.prosima.consensus.execution.EvidenceTxs;
import io.prosima.genesis.ValidatorSet;
import io.prosima.node.client.TxSigner;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.ConsensusMessage;
import io.prosima.proto.v1.GossipBody;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.TxBatch;
import io.prosima.storage.StorageException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin driver of the BFT core (DESIGN.md, Consensus): one thread owns the core and the store's
 * write side; everything else (peer messages, timers, transactions arriving) reaches it through one
 * queue. It carries out the core's actions in order, and a signed vote or proposal is synced to the
 * WAL before it is handed to the network.
 *
 * <p>Besides the core's own actions the driver: re-sends this node's signed messages of the current
 * height now and then (TCP delivers while a connection lives; a peer that reconnected or restarted
 * has lost them), passes admitted transactions to peers so any proposer can include them, and feeds
 * blocks fetched by block sync to the core, which checks their certificates.
 */
public final class ConsensusDriver implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConsensusDriver.class);

  /** How long a proposer with an empty mempool waits for transactions before proposing none. */
  static final long EMPTY_BLOCK_WAIT_MS = 1_000;

  /** Heights that take at least this long are logged. */
  static final long SLOW_HEIGHT_MS = 1_000;

  /** Own signed messages of the current height are sent again this often. */
  static final long RESEND_INTERVAL_MS = 1_000;

  /** Transactions passed on to peers go in gossip batches of at most this many bytes. */
  static final long TX_BATCH_BYTES_MAX = 4 << 20;

  /** An evidence transaction must be included within this many heights. */
  static final long EVIDENCE_EXPIRY_HEIGHTS = 1_000;

  /** Peer consensus messages are dropped while this many inputs wait in the queue. */
  static final int PEER_EVENTS_QUEUED_MAX = 100_000;

  /** Gossiped tx batches waiting for admission, at most; more are dropped (gossip, not clients). */
  static final int PEER_TX_BATCHES_QUEUED_MAX = 1_024;

  /** Bytes of peer consensus messages waiting in the queue, at most (a proposal can be large). */
  static final long PEER_EVENTS_QUEUED_BYTES_MAX = 256L << 20;

  /** Bytes of gossiped tx batches waiting for admission, at most. */
  static final long PEER_TX_BATCHES_QUEUED_BYTES_MAX = 64L << 20;

  /** Synced blocks held for later heights, at most. */
  static final int SYNCED_BLOCKS_HELD_MAX = 256;

  /**
   * Tendermint's default timeouts (propose 3 s, prevote and precommit 1 s, each + 0.5 s per round).
   * A round fails when a proposal reaches too few validators in time, and under load a block of
   * thousands of transactions takes a while to build, relay and check; 1 s proved too short on a
   * loaded 2-core machine (a 5,000-tx height needed 4 rounds). The cost is a dead proposer's turn:
   * about 3 s.
   */
  public static BftConfig bftConfig(String chainId) {
    return new BftConfig(chainId, 3_000, 500, 1_000, 500, 1_000, 500, 30_000);
  }

  private record Synced(List<CommittedBlock> blocks) {}

  private record TxsArrived() {}

  private final LedgerCore core;
  private final TxAdmission admission;
  private final LedgerBlockValidator validator;
  private final BlockProposer proposer;
  private final BlockApplier applier;
  private final BftCore bft;
  private final KeyFile key;
  private final Clock clock;
  private long evidenceNonce;
  private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  private final ValidatorSet validators;
  private final java.util.concurrent.atomic.AtomicLong queuedPeerBytes =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong queuedTxBytes =
      new java.util.concurrent.atomic.AtomicLong();
  private final ScheduledExecutorService timers;
  private final ThreadPoolExecutor peerAdmission;
  private final Thread thread;
  private final TreeMap<Long, CommittedBlock> syncedAhead = new TreeMap<>();
  private volatile Consumer<GossipBody> network = body -> {};
  private volatile Consumer<Throwable> onFatal = e -> {};
  private volatile boolean running = true;
  private volatile int round;
  private final AtomicLong blocksSynced = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  // Driver-thread state.
  private long heightStartNanos = System.nanoTime();
  // The (height, round) the core asked this node to propose for, while it waits for txs; or null.
  private long[] pendingProposal;
  private long proposalDeadlineNanos;
  private long nextResendNanos;

  public ConsensusDriver(
      LedgerCore core, TxAdmission admission, KeyFile key, BftConfig config, Clock clock)
      throws StorageException {
    this.core = core;
    this.validators = new ValidatorSet(core.genesis);
    this.admission = admission;
    this.key = key;
    this.clock = clock;
    this.validator = new LedgerBlockValidator(core, admission, clock);
    this.proposer = new BlockProposer(core, validator, key.getEd25519PublicKey(), clock);
    this.applier = new BlockApplier(core, validator);
    SignedVoteRecord record =
        core.store.signedVotes().map(VoteRecords::fromData).orElse(SignedVoteRecord.EMPTY);
    this.bft =
        new BftCore(
            config,
            validators,
            key.getEd25519PrivateKey().toByteArray(),
            validator,
            core.store.height() + 1,
            record);
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "consensus-timers"));
    this.peerAdmission =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(PEER_TX_BATCHES_QUEUED_MAX),
            r -> daemon(r, "peer-tx-admission"),
            (task, executor) -> dropped.incrementAndGet());
    this.thread = new Thread(this::loop, "consensus");
    admission.onAdmittedLocally(this::passOn);
    // First in the queue, so peer messages that arrive before start() follow it.
    inbox.add(new Event.Start());
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Where broadcasts go (the p2p overlay); a chain of one validator needs none. */
  public void connect(Consumer<GossipBody> network) {
    this.network = network;
  }

  /**
   * Called once, on the consensus thread, when it dies of an error. The thread owns the core and
   * the store's write side, so the node cannot go on without it: the handler must stop the node.
   */
  public void onFatal(Consumer<Throwable> handler) {
    this.onFatal = handler;
  }

  public void start() {
    thread.start();
  }

  // ---- Inputs, from any thread ----------------------------------------------------------------

  /**
   * A gossip body from a peer (p2p thread: must not block). Returns whether it was taken; p2p
   * relays only what was taken, so forged, malformed or far-future messages stop at the first
   * honest node (see {@link PeerMessageCheck}).
   */
  public boolean onGossip(GossipBody body) {
    if (body.hasConsensus()) {
      ConsensusMessage m = body.getConsensus();
      String problem =
          PeerMessageCheck.check(m, core.genesis.getChainId(), validators, core.store.height());
      int size = m.getSerializedSize();
      if (problem != null
          || inbox.size() >= PEER_EVENTS_QUEUED_MAX
          || queuedPeerBytes.get() + size > PEER_EVENTS_QUEUED_BYTES_MAX) {
        // Refused, or peers outrun this node (their own re-sends bring what matters back later).
        dropped.incrementAndGet();
        return false;
      }
      queuedPeerBytes.addAndGet(size);
      inbox.add(
          new PeerEvent(
              m.hasProposal()
                  ? new Event.ProposalReceived(m.getProposal())
                  : new Event.VoteReceived(m.getVote()),
              size));
      return true;
    } else if (body.hasTxs()) {
      List<Transaction> txs = body.getTxs().getTxsList();
      int size = body.getTxs().getSerializedSize();
      if (queuedTxBytes.addAndGet(size) > PEER_TX_BATCHES_QUEUED_BYTES_MAX) {
        queuedTxBytes.addAndGet(-size);
        dropped.incrementAndGet();
        return false;
      }
      try {
        peerAdmission.execute(
            () -> {
              try {
                admission.admitFromPeer(txs);
              } finally {
                queuedTxBytes.addAndGet(-size);
              }
              inbox.add(new TxsArrived());
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        queuedTxBytes.addAndGet(-size);
        return false;
      }
      // Relayed before admission checked each tx; admission refuses bad ones on every node.
      return true;
    }
    return false;
  }

  /** A peer's consensus message in the queue, with its size for the byte bound. */
  private record PeerEvent(Event event, int bytes) {}

  /** Blocks a peer sent for block sync; the core checks each certificate before committing. */
  public void onSyncedBlocks(List<CommittedBlock> blocks) {
    inbox.add(new Synced(List.copyOf(blocks)));
  }

  /** Committed blocks from {@code from} on, for a peer that is behind. */
  public List<CommittedBlock> blocks(long from, int max, long maxBytes) {
    List<CommittedBlock> out = new ArrayList<>();
    long bytes = 0;
    long top = core.store.height();
    for (long h = from; h <= top && out.size() < max; h++) {
      CommittedBlock b = core.store.block(h).orElseThrow();
      bytes += b.getSerializedSize();
      if (bytes > maxBytes && !out.isEmpty()) {
        break;
      }
      out.add(b);
    }
    return out;
  }

  public long height() {
    return core.store.height();
  }

  /** The round the core is in (for metrics). */
  public int round() {
    return round;
  }

  public long blocksSynced() {
    return blocksSynced.get();
  }

  /** Peer inputs dropped: refused by the core, or over a queue bound. */
  public long dropped() {
    return dropped.get();
  }

  /** Passes admitted transactions on to peers, in batches that fit a p2p frame comfortably. */
  private void passOn(List<Transaction> txs) {
    TxBatch.Builder batch = TxBatch.newBuilder();
    long bytes = 0;
    for (Transaction tx : txs) {
      int size = tx.getSerializedSize();
      if (bytes + size > TX_BATCH_BYTES_MAX && batch.getTxsCount() > 0) {
        network.accept(GossipBody.newBuilder().setTxs(batch).build());
        batch = TxBatch.newBuilder();
        bytes = 0;
      }
      batch.addTxs(tx);
      bytes += size;
    }
    network.accept(GossipBody.newBuilder().setTxs(batch).build());
    inbox.add(new TxsArrived());
  }

  // ---- The driver thread ----------------------------------------------------------------------

  private void loop() {
    try {
      while (running) {
        Object in = inbox.poll(waitMs(), TimeUnit.MILLISECONDS);
        if (in instanceof PeerEvent p) {
          queuedPeerBytes.addAndGet(-p.bytes());
          process(bft.onEvent(p.event()));
        } else if (in instanceof Event e) {
          process(bft.onEvent(e));
        } else if (in instanceof Synced s) {
          holdSynced(s.blocks());
        }
        feedSynced();
        maybePropose();
        maybeResend();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (StorageException e) {
      // A failed durable write leaves the node unable to promise anything: stop taking part.
      log.error("consensus stopped: durable write failed: {}", e.getMessage());
      onFatal.accept(e);
    } catch (RuntimeException | Error e) {
      log.error("consensus stopped by an unexpected error", e);
      onFatal.accept(e);
    }
  }

  private long waitMs() {
    long now = System.nanoTime();
    long until = nextResendNanos;
    if (pendingProposal != null) {
      until = Math.min(until, proposalDeadlineNanos);
    }
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - now));
  }

  private void process(List<Action> actions) throws StorageException {
    long decided = -1;
    for (Action a : actions) {
      if (a instanceof Action.PersistVote p) {
        core.store.saveSignedVotes(VoteRecords.toData(p.record()));
      } else if (a instanceof Action.Broadcast b) {
        network.accept(GossipBody.newBuilder().setConsensus(b.message()).build());
      } else if (a instanceof Action.ScheduleTimeout t) {
        var fired = new Event.TimeoutFired(t.height(), t.round(), t.step());
        timers.schedule(() -> inbox.add(fired), t.delayMs(), TimeUnit.MILLISECONDS);
      } else if (a instanceof Action.RequestProposal r) {
        pendingProposal = new long[] {r.height(), r.round()};
        proposalDeadlineNanos =
            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EMPTY_BLOCK_WAIT_MS);
      } else if (a instanceof Action.Commit c) {
        long applyStart = System.nanoTime();
        applier.apply(c.height(), c.block(), c.certificate(), heightStartNanos);
        decided = c.height();
        long now = System.nanoTime();
        long heightMs = TimeUnit.NANOSECONDS.toMillis(now - heightStartNanos);
        // A height that needed more than one round, or long, is worth a line; others are noise.
        if (c.certificate().getRound() > 0 || heightMs >= SLOW_HEIGHT_MS) {
          log.info(
              "height {} committed in round {} after {} ms ({} txs, apply {} ms)",
              c.height(),
              c.certificate().getRound(),
              heightMs,
              c.block().getTxsCount(),
              TimeUnit.NANOSECONDS.toMillis(now - applyStart));
        }
      } else if (a instanceof Action.EvidenceFound ev) {
        onEvidence(ev);
      } else if (a instanceof Action.Dropped d) {
        dropped.incrementAndGet();
        log.debug("dropped: {}", d.reason());
      }
    }
    round = bft.round();
    if (decided > 0) {
      heightStartNanos = System.nanoTime();
      pendingProposal = null;
      syncedAhead.headMap(decided + 1).clear();
      process(bft.onEvent(new Event.NewHeight(decided + 1)));
    }
  }

  /**
   * Records an equivocation on chain: a transaction signed with this validator's key, admitted here
   * and passed on like a client's. Several validators may report the same equivocation; the ledger
   * keeps the first and refuses the rest as duplicates.
   */
  private void onEvidence(Action.EvidenceFound ev) {
    log.warn(
        "equivocation by validator {} at height {} round {}; recording evidence on chain",
        shortKey(ev.evidence().getVoteA().getValidator()),
        ev.evidence().getVoteA().getHeight(),
        ev.evidence().getVoteA().getRound());
    evidenceNonce = Math.max(evidenceNonce + 1, clock.millis() * 1_000);
    Transaction tx =
        TxSigner.sign(
            core.genesis.getChainId(),
            key,
            evidenceNonce,
            core.store.height() + EVIDENCE_EXPIRY_HEIGHTS,
            EvidenceTxs.payload(ev.evidence()));
    peerAdmission.execute(
        () -> {
          List<Transaction> txs = List.of(tx);
          TxAdmission.Admitted r = admission.admit(txs, admission.hashAll(txs));
          if (r.refusals()[0] != null) {
            log.info("evidence not admitted: {}", r.refusals()[0].message());
          }
        });
  }

  /** Proposes once transactions wait or the empty-block wait is over. */
  private void maybePropose() throws StorageException {
    long[] p = pendingProposal;
    if (p == null) {
      return;
    }
    if (p[0] != bft.height() || p[1] != bft.round()) {
      pendingProposal = null; // the core moved on
      return;
    }
    if (core.mempoolSize() == 0 && System.nanoTime() < proposalDeadlineNanos) {
      return;
    }
    pendingProposal = null;
    Block block = proposer.build(p[0]);
    process(bft.onEvent(new Event.BlockReady(p[0], (int) p[1], block)));
  }

  private void maybeResend() {
    long now = System.nanoTime();
    if (now - nextResendNanos < 0) {
      return;
    }
    nextResendNanos = now + TimeUnit.MILLISECONDS.toNanos(RESEND_INTERVAL_MS);
    long h = bft.height();
    SignedVoteRecord r = bft.record();
    if (r.lastProposal() != null && r.lastProposal().getHeight() == h) {
      send(ConsensusMessage.newBuilder().setProposal(r.lastProposal()).build());
    }
    if (r.lastPrevote() != null && r.lastPrevote().getHeight() == h) {
      send(ConsensusMessage.newBuilder().setVote(r.lastPrevote()).build());
    }
    if (r.lastPrecommit() != null && r.lastPrecommit().getHeight() == h) {
      send(ConsensusMessage.newBuilder().setVote(r.lastPrecommit()).build());
    }
  }

  private void send(ConsensusMessage m) {
    network.accept(GossipBody.newBuilder().setConsensus(m).build());
  }

  private void holdSynced(List<CommittedBlock> blocks) {
    long tip = core.store.height();
    for (CommittedBlock b : blocks) {
      long h = b.getBlock().getHeader().getHeight();
      if (h > tip && h <= tip + SYNCED_BLOCKS_HELD_MAX) {
        syncedAhead.put(h, b);
      }
    }
  }

  /** Gives the core each synced block of its current height, in order, while they commit. */
  private void feedSynced() throws StorageException {
    while (true) {
      CommittedBlock next = syncedAhead.remove(bft.height());
      if (next == null) {
        return;
      }
      long before = core.store.height();
      process(bft.onEvent(new Event.CommitReceived(next.getBlock(), next.getCommit())));
      if (core.store.height() == before) {
        return; // refused (bad certificate or block): wait for another copy
      }
      blocksSynced.incrementAndGet();
    }
  }

  private static String shortKey(ByteString key) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(4, key.size()); i++) {
      s.append(String.format("%02x", key.byteAt(i)));
    }
    return s.toString();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timers.shutdownNow();
    peerAdmission.shutdownNow();
  }
}
