package io.prosima.node.ledger;

import com.google.protobuf.ByteString;
import io.prosima.consensus.bft.BftConfig;
import io.prosima.consensus.bft.Event;
import io.prosima.p2p.Verdict;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.ConsensusMessage;
import io.prosima.proto.v1.GossipBody;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Transaction;
import io.prosima.storage.StorageException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's harness of {@link ConsensusReplica} (DESIGN.md, Consensus): one thread owns the
 * replica and the store's write side; everything else (peer messages, timers, transactions
 * arriving, synced blocks) reaches it through one queue, bounded in bytes for what peers send. The
 * rules live in the replica, which the deterministic simulator drives too; this class only adds
 * threads, real time and the queues.
 */
public final class ConsensusDriver implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConsensusDriver.class);

  /** Peer consensus messages are dropped while this many inputs wait in the queue. */
  static final int PEER_EVENTS_QUEUED_MAX = 100_000;

  /** Gossiped tx batches waiting for admission, at most; more are dropped (gossip, not clients). */
  static final int PEER_TX_BATCHES_QUEUED_MAX = 1_024;

  /** Bytes of peer consensus messages waiting in the queue, at most (a proposal can be large). */
  static final long PEER_EVENTS_QUEUED_BYTES_MAX = 256L << 20;

  /** Bytes of gossiped tx batches waiting for admission, at most. */
  static final long PEER_TX_BATCHES_QUEUED_BYTES_MAX = 64L << 20;

  /** How often announced transactions not delivered in time are asked of another announcer. */
  static final long RELAY_TICK_MS = 200;

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

  /** A peer's consensus message in the queue, with its size for the byte bound. */
  private record PeerMessage(ConsensusMessage message, int bytes) {}

  private final TxAdmission admission;
  private final ConsensusReplica replica;
  private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  private final AtomicLong queuedPeerBytes = new AtomicLong();
  private final AtomicLong queuedTxBytes = new AtomicLong();
  private final ScheduledExecutorService timers;
  private final ThreadPoolExecutor peerAdmission;
  private final Thread thread;
  private volatile Consumer<GossipBody> network = body -> {};
  private volatile Consumer<List<ByteString>> fetcher = hashes -> {};
  private volatile TxRelay.Net relayNet =
      new TxRelay.Net() {
        @Override
        public void announce(ByteString neighbour, List<ByteString> txHashes) {}

        @Override
        public void request(ByteString neighbour, List<ByteString> txHashes) {}
      };
  private volatile Supplier<Collection<ByteString>> neighbours = List::of;
  private final GossipIntake intake;
  private final DriverSink sink = new DriverSink();
  private volatile Consumer<Throwable> onFatal = e -> {};
  private volatile boolean running = true;
  private volatile int round;
  private volatile long blocksSynced;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong txsFetchAsked = new AtomicLong();
  private final AtomicLong txsFetchAnswered = new AtomicLong();

  public ConsensusDriver(
      LedgerCore core, TxAdmission admission, KeyFile key, BftConfig config, Clock clock)
      throws StorageException {
    this.admission = admission;
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
    this.replica =
        new ConsensusReplica(
            core,
            admission,
            key,
            config,
            clock,
            new ConsensusReplica.Outputs() {
              @Override
              public void broadcast(GossipBody body) {
                network.accept(body);
              }

              @Override
              public void schedule(Event.TimeoutFired timeout, long delayMs) {
                timers.schedule(() -> inbox.add(timeout), delayMs, TimeUnit.MILLISECONDS);
              }
            },
            System.nanoTime());
    this.intake = new GossipIntake(replica);
    this.thread = new Thread(this::loop, "consensus");
    admission.onAdmittedLocally(this::passOn);
    timers.scheduleWithFixedDelay(
        () -> {
          try {
            intake.tick(System.nanoTime(), sink);
          } catch (RuntimeException e) {
            log.warn("tx relay tick failed", e);
          }
        },
        RELAY_TICK_MS,
        RELAY_TICK_MS,
        TimeUnit.MILLISECONDS);
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
   * A gossip body from overlay neighbour {@code neighbour} (p2p thread: must not block): what
   * {@link GossipIntake} makes of it, with this driver's queues as bounds. Consensus messages are
   * relayed ({@link Verdict#ACCEPT}) once admissible, so forged, malformed or far-future messages
   * stop at the first honest node; transaction batches and compact proposals still being fetched
   * are passed on by this node itself ({@link Verdict#TAKEN}) once checked.
   */
  public Verdict onGossip(ByteString neighbour, GossipBody body) {
    Verdict v = intake.onGossip(neighbour, body, System.nanoTime(), sink);
    if (v == Verdict.REFUSE) {
      dropped.incrementAndGet();
    }
    return v;
  }

  /** Transactions a neighbour sent for our fetch (p2p thread). */
  public void onTxsFetched(ByteString neighbour, List<Transaction> txs) {
    txsFetchAnswered.addAndGet(txs.size());
    intake.onTxsFetched(neighbour, txs, System.nanoTime(), sink);
  }

  /** A neighbour's fetch of transactions by hash (p2p's serving thread). */
  public List<Transaction> onTxFetch(ByteString neighbour, List<ByteString> txHashes) {
    return intake.onTxFetch(neighbour, txHashes);
  }

  /** Where fetches go (the p2p overlay). */
  public void connectFetches(Consumer<List<ByteString>> fetcher) {
    this.fetcher = fetcher;
  }

  /** Where announcements and relay fetches go, and who the neighbours are (the p2p overlay). */
  public void connectRelay(TxRelay.Net net, Supplier<Collection<ByteString>> neighbours) {
    this.relayNet = net;
    this.neighbours = neighbours;
  }

  /** A neighbour announced transactions it holds (p2p thread). */
  public void onTxAnnounce(ByteString neighbour, List<ByteString> txHashes) {
    intake.onTxAnnounce(neighbour, txHashes, System.nanoTime(), sink);
  }

  /** The driver's side of the intake: bounded queues and the admission thread. */
  private final class DriverSink implements GossipIntake.Sink {
    @Override
    public boolean consensus(ConsensusMessage m) {
      int size = m.getSerializedSize();
      if (inbox.size() >= PEER_EVENTS_QUEUED_MAX
          || queuedPeerBytes.get() + size > PEER_EVENTS_QUEUED_BYTES_MAX) {
        return false; // peers outrun this node (their own re-sends bring what matters back later)
      }
      queuedPeerBytes.addAndGet(size);
      inbox.add(new PeerMessage(m, size));
      return true;
    }

    @Override
    public boolean txs(List<Transaction> txs, int size) {
      if (queuedTxBytes.addAndGet(size) > PEER_TX_BATCHES_QUEUED_BYTES_MAX) {
        queuedTxBytes.addAndGet(-size);
        return false;
      }
      try {
        peerAdmission.execute(
            () -> {
              List<ByteString> admitted;
              try {
                admitted = ConsensusReplica.admitFromPeer(admission, txs);
              } finally {
                queuedTxBytes.addAndGet(-size);
              }
              intake.admitted(admitted, this);
              inbox.add(new TxsArrived());
            });
        return true;
      } catch (RejectedExecutionException e) {
        queuedTxBytes.addAndGet(-size);
        return false;
      }
    }

    @Override
    public void fetch(List<ByteString> txHashes) {
      log.debug("fetching {} transactions of a compact proposal", txHashes.size());
      txsFetchAsked.addAndGet(txHashes.size());
      fetcher.accept(txHashes);
    }

    @Override
    public void passOn(GossipBody body) {
      network.accept(body);
    }

    @Override
    public Collection<ByteString> neighbours() {
      return neighbours.get();
    }

    @Override
    public void announce(ByteString neighbour, List<ByteString> txHashes) {
      relayNet.announce(neighbour, txHashes);
    }

    @Override
    public void request(ByteString neighbour, List<ByteString> txHashes) {
      relayNet.request(neighbour, txHashes);
    }
  }

  /**
   * Blocks a peer sent for block sync. Returns whether they were taken: false when {@link
   * ConsensusReplica#checkSynced} finds them bad (p2p then lowers the sender's sync score).
   */
  public boolean onSyncedBlocks(List<CommittedBlock> blocks) {
    String problem = replica.checkSynced(blocks);
    if (problem != null) {
      log.info("refused synced blocks: {}", problem);
      dropped.incrementAndGet();
      return false;
    }
    inbox.add(new Synced(List.copyOf(blocks)));
    return true;
  }

  /** Committed blocks from {@code from} on, for a peer that is behind. */
  public List<CommittedBlock> blocks(long from, int max, long maxBytes) {
    return replica.blocks(from, max, maxBytes);
  }

  public long height() {
    return replica.height();
  }

  /** The round the core is in (for metrics). */
  public int round() {
    return round;
  }

  public long blocksSynced() {
    return blocksSynced;
  }

  /** Transaction hashes this node asked its neighbours for, to complete compact proposals. */
  public long txsFetchAsked() {
    return txsFetchAsked.get();
  }

  /** Transactions neighbours sent in answer to those fetches (each neighbour answers). */
  public long txsFetchAnswered() {
    return txsFetchAnswered.get();
  }

  /** Peer inputs dropped: refused by the core, or over a queue bound. */
  public long dropped() {
    return dropped.get();
  }

  /** Announces transactions clients submitted here to peers (any thread). */
  private void passOn(List<ByteString> txHashes) {
    intake.admitted(txHashes, sink);
    inbox.add(new TxsArrived());
  }

  // ---- The driver thread ----------------------------------------------------------------------

  private void loop() {
    try {
      replica.start(System.nanoTime());
      long droppedByCore = 0;
      while (running) {
        long wait = TimeUnit.NANOSECONDS.toMillis(replica.nextWakeNanos() - System.nanoTime());
        Object in = inbox.poll(Math.max(1, wait), TimeUnit.MILLISECONDS);
        long now = System.nanoTime();
        if (in instanceof PeerMessage p) {
          queuedPeerBytes.addAndGet(-p.bytes());
          replica.onConsensus(p.message(), now);
        } else if (in instanceof Event.TimeoutFired t) {
          long height = replica.coreHeight();
          int roundBefore = replica.round();
          var stepBefore = replica.step();
          replica.onTimeout(t, now);
          if (replica.coreHeight() == height
              && replica.round() == roundBefore
              && replica.step() != stepBefore) {
            // Why a round fails: a PROPOSE timeout means this node prevoted nil (no valid
            // proposal in time), a PREVOTE one that it precommitted nil.
            log.info(
                "height {} round {}: {} timeout fired, voting nil ({} compact proposals waiting"
                    + " for fetched transactions)",
                height,
                roundBefore,
                t.step(),
                intake.proposalsBeingFetched());
          }
          if (replica.coreHeight() == height && replica.round() > roundBefore) {
            // Rare and telling: an operator (or a benchmark) sees which step of which height
            // waited out its timeout; a height's commit line says only the round it ended in.
            log.info(
                "height {} round {}: {} timeout fired, moving to round {}",
                height,
                roundBefore,
                t.step(),
                replica.round());
          }
        } else if (in instanceof Synced s) {
          replica.onSynced(s.blocks(), now);
        } else {
          replica.step(now);
        }
        round = replica.round();
        blocksSynced = replica.blocksSynced();
        dropped.addAndGet(replica.dropped() - droppedByCore);
        droppedByCore = replica.dropped();
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
    try {
      // A batch being admitted passes itself on when done: let it finish before p2p closes.
      peerAdmission.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
