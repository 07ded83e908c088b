package io.prosima.node;

import com.google.protobuf.ByteString;
import io.prosima.consensus.mempool.Mempool;
import io.prosima.genesis.ChainLayout;
import io.prosima.genesis.GenesisException;
import io.prosima.genesis.GenesisFiles;
import io.prosima.genesis.KeyFiles;
import io.prosima.genesis.OverlayTopology;
import io.prosima.node.backup.BackupException;
import io.prosima.node.backup.NodeBackup;
import io.prosima.node.fragments.Fragments;
import io.prosima.node.grpc.GrpcServer;
import io.prosima.node.grpc.NodeAdminService;
import io.prosima.node.ledger.ConsensusDriver;
import io.prosima.node.ledger.ImageAccess;
import io.prosima.node.ledger.LedgerCore;
import io.prosima.node.ledger.TxAdmission;
import io.prosima.node.ledger.TxRelay;
import io.prosima.node.metrics.NodeMetrics;
import io.prosima.p2p.BlockSource;
import io.prosima.p2p.P2pHandler;
import io.prosima.p2p.P2pNetwork;
import io.prosima.p2p.Verdict;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.GossipBody;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Validator;
import io.prosima.storage.RocksDbLedgerStore;
import io.prosima.storage.StorageException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running validator: store, admission, consensus, the p2p overlay and the gRPC endpoint. */
public final class LedgerNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LedgerNode.class);
  public static final String DATA_DIR = "data";
  public static final String LEDGER_DIR = "ledger";

  private final Validator self;
  // The approved change that added this validator after genesis (its join file), if any.
  private final Optional<io.prosima.proto.v1.ValidatorChange> join;
  // Moves the p2p overlay as validator changes commit; null without p2p.
  private java.util.concurrent.ScheduledExecutorService overlayWatch;
  private final Genesis genesis;
  private final Path home;
  private final RocksDbLedgerStore store;
  private final LedgerCore core;
  private final TxAdmission admission;
  private final ConsensusDriver consensus;
  private final P2pNetwork p2p; // null on a chain of one validator
  private final GrpcServer grpc;
  private final NodeMetrics metrics;
  private final Fragments fragments;
  private final AtomicBoolean closed = new AtomicBoolean();
  // One backup at a time (each clears scratch checkpoints left by an interrupted one).
  private final Object backupLock = new Object();
  private final CountDownLatch stopped = new CountDownLatch(1);
  // Why the node stopped on its own; null while it runs or when it was closed.
  private volatile Throwable failure;

  private LedgerNode(NodeConfig config, Clock clock)
      throws GenesisException, StorageException, IOException, GeneralSecurityException {
    Path home = config.home();
    Genesis genesis = GenesisFiles.read(home.resolve(ChainLayout.GENESIS_FILE));
    this.genesis = genesis;
    this.home = home;
    KeyFile key = KeyFiles.read(home.resolve(ChainLayout.NODE_KEY_FILE));
    this.join = ValidatorOverlay.readJoin(home);
    try {
      this.self = ValidatorOverlay.self(genesis, key.getEd25519PublicKey(), join);
    } catch (GenesisException e) {
      throw new GenesisException("node key in " + home + ": " + e.getMessage());
    }
    config.check(genesis.getConsensus().getBlockTxsMax());
    probeListenAddresses(genesis, config);
    this.store = RocksDbLedgerStore.open(home.resolve(DATA_DIR).resolve(LEDGER_DIR));
    // What is open so far, closed in reverse order if a later step fails.
    Deque<AutoCloseable> opened = new ArrayDeque<>();
    opened.push(store);
    try {
      this.core =
          new LedgerCore(
              genesis, store, new Mempool(config.mempoolTxsMax(), config.mempoolBytesMax()));
      this.metrics = new NodeMetrics(core);
      opened.push(metrics);
      core.setEvents(metrics);
      if (config.metricsListen() != null) {
        ListenAddress.bind(
            "metricsListen",
            config.metricsListen(),
            "",
            "",
            a -> {
              metrics.serve(a, config.metricsNonLoopbackAllowed());
              return a;
            });
      }
      this.admission = new TxAdmission(core, config.verifyThreads(), config.clientPendingBlocks());
      opened.push(admission);
      this.consensus =
          new ConsensusDriver(
              core, admission, key, ConsensusDriver.bftConfig(genesis.getChainId()), clock);
      opened.push(consensus);
      metrics.watchConsensus(consensus);
      this.p2p = startP2p(genesis, key, consensus, config);
      if (p2p != null) {
        opened.push(p2p);
        consensus.connect(p2p::broadcast);
        consensus.connectFetches(p2p::fetchTxsFromAll);
        P2pNetwork overlay = p2p;
        consensus.connectRelay(
            new TxRelay.Net() {
              @Override
              public void announce(ByteString neighbour, List<ByteString> txHashes) {
                overlay.announceTxs(neighbour, txHashes);
              }

              @Override
              public void request(ByteString neighbour, List<ByteString> txHashes) {
                overlay.fetchTxs(neighbour, txHashes, true);
              }
            },
            overlay::connectedPeers);
        metrics.watchP2p(p2p::stats);
      }
      this.fragments =
          Fragments.start(
              store.fragments(),
              new ImageAccess(core),
              key,
              genesis.getChainId(),
              config,
              clock,
              metrics);
      opened.push(fragments);
      metrics.watchFragments(fragments);
      Set<ByteString> chainKeys = new HashSet<>();
      genesis.getValidatorsList().forEach(v -> chainKeys.add(v.getPublicKey()));
      genesis.getClientsList().forEach(c -> chainKeys.add(c.getPublicKey()));
      this.grpc =
          ListenAddress.bind(
              "grpcListen",
              config.grpcListen(),
              "genesis grpc_address",
              self.getGrpcAddress(),
              a -> grpcServer(a, key, chainKeys, config));
    } catch (RuntimeException | IOException | GeneralSecurityException e) {
      for (AutoCloseable c : opened) {
        try {
          c.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    consensus.onFatal(this::fail);
    consensus.start();
    if (p2p != null) {
      overlayWatch =
          java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "overlay-watch");
                t.setDaemon(true);
                return t;
              });
      overlayWatch.scheduleWithFixedDelay(
          this::followOverlay,
          OVERLAY_CHECK_MS,
          OVERLAY_CHECK_MS,
          java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    log.info(
        "node {} serving gRPC on port {}, chain {} at height {}",
        self.getName(),
        grpc.port(),
        genesis.getChainId(),
        store.height());
  }

  /** How often the overlay is compared with the committed validator sets. */
  static final long OVERLAY_CHECK_MS = 250;

  /** The overlay this node's committed state asks for now (validator changes move it). */
  private Map<ByteString, InetSocketAddress> wantedNeighbours() {
    return ValidatorOverlay.neighbours(
        core.validatorSets(), store.height() + 1, self.getPublicKey(), join);
  }

  private void followOverlay() {
    try {
      if (!closed.get()) {
        p2p.setNeighbours(wantedNeighbours());
      }
    } catch (RuntimeException e) {
      log.warn("overlay update failed: {}", e.toString());
    }
  }

  /** A listen address that cannot be bound is refused before the database is opened or made. */
  private void probeListenAddresses(Genesis genesis, NodeConfig config)
      throws IOException, GeneralSecurityException {
    if (!OverlayTopology.neighbours(genesis, self.getName()).isEmpty() || join.isPresent()) {
      ListenAddress.probe(
          "p2pListen", config.p2pListen(), "genesis p2p_address", self.getP2PAddress());
    }
    ListenAddress.probe(
        "grpcListen", config.grpcListen(), "genesis grpc_address", self.getGrpcAddress());
    if (config.metricsListen() != null) {
      ListenAddress.probe("metricsListen", config.metricsListen(), "", "");
    }
  }

  private GrpcServer grpcServer(
      InetSocketAddress listen, KeyFile key, Set<ByteString> chainKeys, NodeConfig config)
      throws IOException, GeneralSecurityException {
    return new GrpcServer(
        listen,
        key,
        // Genesis identities, plus identities registered on chain since.
        k ->
            chainKeys.contains(k)
                || store.state(io.prosima.consensus.execution.StateKeys.identity(k)) != null
                // Validators that joined after genesis.
                || core.validatorSets().keysFrom(0).contains(k),
        core,
        admission,
        fragments.service(),
        new NodeAdminService(key.getEd25519PublicKey(), this::backupIntoHome),
        config);
  }

  /**
   * Joins the overlay: listens on p2pListen (default: our genesis p2p address) and dials our
   * genesis neighbours at their genesis p2p addresses. Those stay unresolved here: the dialer looks
   * a host name up at each attempt, so a name that resolves late or moves is still reached.
   */
  private P2pNetwork startP2p(
      Genesis genesis, KeyFile key, ConsensusDriver consensus, NodeConfig config)
      throws IOException, GeneralSecurityException {
    Map<ByteString, InetSocketAddress> neighbours = wantedNeighbours();
    if (neighbours.isEmpty()) {
      return null;
    }
    P2pHandler handler =
        new P2pHandler() {
          // p2p relays a body only on ACCEPT: consensus messages are checked (signature, signer,
          // height window, canonical bytes) before that; tx batches are checked by admission.
          @Override
          public Verdict onGossip(ByteString neighbour, ByteString origin, GossipBody body) {
            return consensus.onGossip(neighbour, body);
          }

          @Override
          public List<io.prosima.proto.v1.Transaction> onTxFetch(
              ByteString neighbour, List<ByteString> txHashes) {
            return consensus.onTxFetch(neighbour, txHashes);
          }

          @Override
          public void onTxsFetched(
              ByteString neighbour, List<io.prosima.proto.v1.Transaction> txs) {
            consensus.onTxsFetched(neighbour, txs);
          }

          @Override
          public void onTxAnnounce(ByteString neighbour, List<ByteString> txHashes) {
            consensus.onTxAnnounce(neighbour, txHashes);
          }

          // Bodies, links and certificates are checked before the blocks are queued; a bad batch
          // costs the sender sync score.
          @Override
          public Verdict onSyncedBlocks(ByteString peer, List<CommittedBlock> blocks) {
            return consensus.onSyncedBlocks(blocks) ? Verdict.ACCEPT : Verdict.REFUSE;
          }
        };
    BlockSource source =
        new BlockSource() {
          @Override
          public long height() {
            return consensus.height();
          }

          @Override
          public List<CommittedBlock> blocks(long fromHeight, int maxBlocks, long maxBytes) {
            return consensus.blocks(fromHeight, maxBlocks, maxBytes);
          }
        };
    return ListenAddress.bind(
        "p2pListen",
        config.p2pListen(),
        "genesis p2p_address",
        self.getP2PAddress(),
        listen ->
            P2pNetwork.start(
                config.p2p().toP2pConfig(genesis.getChainId(), key, listen, neighbours),
                handler,
                source));
  }

  public static LedgerNode start(NodeConfig config)
      throws GenesisException, StorageException, IOException, GeneralSecurityException {
    return new LedgerNode(config, Clock.systemUTC());
  }

  /**
   * Writes a backup of this running node's database to {@code out} (see {@link NodeBackup}): a
   * RocksDB checkpoint, consistent with commits, taken in the node's data directory and packed with
   * a manifest. The node key is not in it.
   *
   * @return the height the backup holds
   */
  public long backup(Path out) throws BackupException, IOException {
    synchronized (backupLock) {
      return backupOnce(out);
    }
  }

  private long backupOnce(Path out) throws BackupException, IOException {
    if (closed.get()) {
      throw new BackupException("node " + self.getName() + " is stopped; back up its home instead");
    }
    return NodeBackup.write(store, genesis, home.resolve(DATA_DIR), out);
  }

  /** Directory of a node home where the node writes the backups it is asked for over gRPC. */
  public static final String BACKUPS_DIR = "backups";

  /** A backup asked for over gRPC: into the home's backups/, under a name the node picks. */
  private NodeAdminService.Written backupIntoHome() throws BackupException, IOException {
    Path dir = home.resolve(BACKUPS_DIR);
    java.nio.file.Files.createDirectories(dir);
    Path out =
        dir.resolve(
            "backup-"
                + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
                    .withZone(java.time.ZoneOffset.UTC)
                    .format(java.time.Instant.now())
                + ".zip");
    return new NodeAdminService.Written(out, backup(out));
  }

  /** Port of the metrics endpoint, or -1 when it is off. */
  public int metricsPort() {
    return metrics.port();
  }

  public int grpcPort() {
    return grpc.port();
  }

  /** The fragments this validator keeps (tests run garbage collection through it). */
  public Fragments fragments() {
    return fragments;
  }

  /** The consensus driver (tests inject failures through it). */
  ConsensusDriver consensus() {
    return consensus;
  }

  public LedgerCore core() {
    return core;
  }

  public Validator self() {
    return self;
  }

  /** host:port, resolved now (a name that does not resolve gives an unresolved address). */
  static InetSocketAddress address(String hostPort) {
    InetSocketAddress u = unresolved(hostPort);
    return new InetSocketAddress(u.getHostString(), u.getPort());
  }

  /** host:port, parsed but not looked up. */
  static InetSocketAddress unresolved(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("address must be host:port, got '" + hostPort + "'");
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("address must be host:port, got '" + hostPort + "'");
    }
    return InetSocketAddress.createUnresolved(hostPort.substring(0, colon), port);
  }

  /**
   * Stops the node because a thread that owns state died (fatal means fatal: no zombie that keeps
   * answering queries and relaying). Health turns NOT_SERVING at once; the services close on a
   * thread of their own, since the dying thread is one that close() waits for.
   */
  public void fail(Throwable cause) {
    if (closed.get()) {
      return;
    }
    failure = cause;
    log.error("node {} stopping on a fatal error: {}", self.getName(), cause.toString());
    grpc.notServing();
    Thread stop = new Thread(this::close, "node-stop");
    stop.start();
  }

  /** Whether the node has stopped, closed or failed. */
  public boolean isStopped() {
    return stopped.getCount() == 0;
  }

  /**
   * Waits until the node has stopped.
   *
   * @return the fatal error that stopped it, or empty when it was closed (or still runs after
   *     {@code timeoutMs})
   */
  public Optional<Throwable> awaitStopped(long timeoutMs) throws InterruptedException {
    stopped.await(timeoutMs, TimeUnit.MILLISECONDS);
    return Optional.ofNullable(failure);
  }

  /** Waits until the node has stopped; returns the fatal error that stopped it, if any. */
  public Optional<Throwable> awaitStopped() throws InterruptedException {
    stopped.await();
    return Optional.ofNullable(failure);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      // Another thread closes (a fatal error): return once it is done, so the caller may delete
      // the data directory or exit.
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    try {
      if (overlayWatch != null) {
        overlayWatch.shutdownNow();
      }
      grpc.close();
      fragments.close();
      // Consensus before p2p: its thread broadcasts until it stops, and a broadcast into a closed
      // network would count as a fatal error (seen at the end of a benchmark).
      consensus.close();
      if (p2p != null) {
        p2p.close();
      }
      admission.close();
      metrics.close();
      store.close();
      log.info("node {} stopped", self.getName());
    } finally {
      stopped.countDown();
    }
  }
}
