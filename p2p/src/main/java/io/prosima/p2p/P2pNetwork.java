package io.prosima.p2p;

import com.google.protobuf.ByteString;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.Gossip;
import io.prosima.proto.v1.GossipBody;
import io.prosima.proto.v1.Hello;
import io.prosima.proto.v1.PeerFrame;
import io.prosima.proto.v1.PeerStatus;
import io.prosima.proto.v1.SyncRequest;
import io.prosima.proto.v1.SyncResponse;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.TxAnnounce;
import io.prosima.proto.v1.TxFetch;
import io.prosima.proto.v1.TxFetched;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The p2p transport of one node: mutual-TLS connections to its overlay neighbours only, flooding
 * gossip with de-duplication and a hop limit, periodic height announcements and block sync from the
 * highest neighbour.
 *
 * <p>Frames are a 4-byte big-endian length followed by a {@code PeerFrame} protobuf, at most {@link
 * P2pConfig#frameBytesMax()} bytes in all. p2p checks only framing and the peer's identity: gossip
 * bodies and synced blocks reach the {@link P2pHandler} unverified, and the node checks their
 * signatures and commit certificates.
 */
public final class P2pNetwork implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(P2pNetwork.class);

  static final int LENGTH_FIELD_BYTES = 4;
  public static final int GOSSIP_SEEN_ENTRIES_MAX = 200_000;

  /** Transactions asked for in one fetch, at most (a block's worth). */
  public static final int TX_FETCH_HASHES_MAX = 10_000;

  /**
   * A body seen this recently is a duplicate; after it, an identical body floods again. Below the
   * consensus driver's re-send interval (1 s), so its byte-identical re-sends still travel.
   */
  public static final long GOSSIP_SEEN_EXPIRY_MS = 500;

  static final long SYNC_REQUEST_TIMEOUT_MS = 2_000;
  static final int SYNC_REQUESTS_QUEUED_MAX = 16;
  static final int EVENT_LOOP_THREADS = 2;
  static final int CONNECT_TIMEOUT_MS = 3_000;

  /** A neighbour sends PeerStatus every interval; this many intervals of silence closes it. */
  static final int SILENT_INTERVALS_MAX = 10;

  static final long SILENT_MS_MIN = 5_000;

  /**
   * Transaction gossip is written to a neighbour only while less than this is queued to it (or a
   * quarter of the outbound bound, when that is smaller). About 0.1-0.2 s of TLS writes on a loaded
   * 2-core machine, so a vote waits at most that long behind transactions; still a few client
   * batches (500 anchors are about 1 MB), so a burst is not dropped for nothing.
   */
  static final long TX_GOSSIP_QUEUED_BYTES_MAX = 4L * 1024 * 1024;

  static final long SHUTDOWN_TIMEOUT_MS = 2_000;

  private final P2pConfig config;
  private final P2pHandler handler;
  private final BlockSource source;
  private final ByteString self;
  private final Counters counters = new Counters();
  private final PendingHandshakes pendingHandshakes =
      new PendingHandshakes(
          P2pConfig.PENDING_HANDSHAKES_MAX, P2pConfig.PENDING_HANDSHAKES_PER_ADDRESS_MAX);
  private final GossipRouter router;
  private final SyncState sync;
  private final Map<ByteString, Peer> peers = new ConcurrentHashMap<>();
  // Read by event loops (register) while start() may still be adding to it.
  private final Map<ByteString, Dialer> dialers = new ConcurrentHashMap<>();
  private final EventLoopGroup group;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final ScheduledExecutorService timer;
  private final ThreadPoolExecutor syncServer;
  // A proposal's fetch is what votes wait for: it has its own thread and queue, so it never waits
  // behind (or is refused for) relay fetches and sync answers queued during a flood.
  private final ThreadPoolExecutor proposalFetchServer;
  private final PeerTls tls;
  // The overlay neighbours now: genesis's at start, then as validator changes move the overlay.
  private final AtomicReference<Map<ByteString, InetSocketAddress>> neighbours;
  private final Map<ByteString, AtomicBoolean> dialerStopped = new ConcurrentHashMap<>();
  private final long txGossipQueuedBytesMax;
  private volatile boolean closed;
  private volatile long ourHeight;
  private Channel serverChannel;

  private P2pNetwork(
      P2pConfig config,
      P2pHandler handler,
      BlockSource source,
      PeerTls tls,
      AtomicReference<Map<ByteString, InetSocketAddress>> neighbours) {
    this.config = config;
    this.neighbours = neighbours;
    this.handler = handler;
    this.source = source;
    this.self = config.publicKey();
    this.tls = tls;
    this.txGossipQueuedBytesMax =
        Math.min(TX_GOSSIP_QUEUED_BYTES_MAX, config.outboundBytesMaxPerPeer() / 4);
    this.sync =
        new SyncState(
            TimeUnit.MILLISECONDS.toNanos(SYNC_REQUEST_TIMEOUT_MS),
            P2pConfig.SYNC_HELD_BYTES_MAX,
            config.frameBytesMax(),
            P2pConfig.SYNC_CLAIM_LEAD_MAX_HEIGHTS);
    // Random start: a restarted node's new messages are not mistaken for its old ones that
    // neighbours still remember. Kept below 2^62 so it never wraps.
    this.router =
        new GossipRouter(
            self,
            config.gossipTtl(),
            GOSSIP_SEEN_ENTRIES_MAX,
            TimeUnit.MILLISECONDS.toNanos(GOSSIP_SEEN_EXPIRY_MS),
            new SecureRandom().nextLong() >>> 2);
    String name = "p2p-" + PeerKeyOrder.shortKey(self);
    this.group =
        new NioEventLoopGroup(EVENT_LOOP_THREADS, new DefaultThreadFactory(name + "-io", true));
    this.timer =
        Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory(name + "-timer", true));
    this.syncServer =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(SYNC_REQUESTS_QUEUED_MAX),
            new DefaultThreadFactory(name + "-sync", true));
    this.proposalFetchServer =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(SYNC_REQUESTS_QUEUED_MAX),
            new DefaultThreadFactory(name + "-proposal-fetch", true));
  }

  /**
   * Binds the listen address, starts dialing the neighbours whose key is larger than ours and
   * starts the status timer.
   *
   * @throws IOException if the listen address cannot be bound
   * @throws GeneralSecurityException if our key cannot make a TLS certificate
   */
  public static P2pNetwork start(P2pConfig config, P2pHandler handler, BlockSource source)
      throws IOException, GeneralSecurityException {
    AtomicReference<Map<ByteString, InetSocketAddress>> neighbours =
        new AtomicReference<>(config.neighbours());
    PeerTls tls = PeerTls.create(config.key(), k -> neighbours.get().containsKey(k));
    P2pNetwork net = new P2pNetwork(config, handler, source, tls, neighbours);
    try {
      net.bind();
    } catch (IOException | RuntimeException e) {
      net.close();
      throw e;
    }
    net.startDialersAndTimer();
    log.info(
        "p2p: {} listening on {} with {} neighbours",
        PeerKeyOrder.shortKey(net.self),
        net.serverChannel.localAddress(),
        config.neighbours().size());
    return net;
  }

  private void bind() throws IOException {
    ServerBootstrap server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
            .childHandler(initializer(false, null));
    var bound = server.bind(config.listen()).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new IOException("cannot listen on " + config.listen(), bound.cause());
    }
    serverChannel = bound.channel();
    channels.add(serverChannel);
  }

  private void startDialersAndTimer() {
    for (var e : config.neighbours().entrySet()) {
      startDialer(e.getKey(), e.getValue());
    }
    long periodMs = config.statusInterval().toMillis();
    timer.scheduleAtFixedRate(this::tick, periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  /** Dials {@code key} (and redials it after a loss) if the key order says we dial it. */
  private void startDialer(ByteString key, InetSocketAddress address) {
    if (!PeerKeyOrder.weDial(self, key)) {
      return;
    }
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
            .handler(initializer(true, key));
    AtomicBoolean stopped = new AtomicBoolean();
    Dialer dialer =
        new Dialer(
            key,
            address,
            bootstrap,
            group,
            new Backoff(config.reconnectMin(), config.reconnectMax(), new SecureRandom()),
            () -> closed || stopped.get());
    dialerStopped.put(key, stopped);
    dialers.put(key, dialer);
    dialer.connect();
  }

  /**
   * Moves the overlay to {@code next} (key to p2p address), as a validator change does: new
   * neighbours are dialed (or accepted) from now on; connections to keys no longer neighbours are
   * closed and their dialers stop, and their certificates are refused at the next handshake. Our
   * own key is ignored.
   */
  public synchronized void setNeighbours(Map<ByteString, InetSocketAddress> next) {
    if (closed) {
      return;
    }
    Map<ByteString, InetSocketAddress> wanted = new java.util.HashMap<>(next);
    wanted.remove(self);
    Map<ByteString, InetSocketAddress> before = neighbours.get();
    if (wanted.equals(before)) {
      return;
    }
    neighbours.set(Map.copyOf(wanted));
    for (ByteString gone : before.keySet()) {
      if (wanted.containsKey(gone) && wanted.get(gone).equals(before.get(gone))) {
        continue;
      }
      AtomicBoolean stopped = dialerStopped.remove(gone);
      if (stopped != null) {
        stopped.set(true);
      }
      dialers.remove(gone);
      Peer peer = peers.get(gone);
      if (peer != null) {
        log.info("p2p: {} is no longer an overlay neighbour, closing", peer.shortKey);
        peer.channel.close();
      }
    }
    for (var e : wanted.entrySet()) {
      if (!e.getValue().equals(before.get(e.getKey()))) {
        log.info("p2p: new overlay neighbour {}", PeerKeyOrder.shortKey(e.getKey()));
        startDialer(e.getKey(), e.getValue());
      }
    }
  }

  /** The overlay neighbours now. */
  public Map<ByteString, InetSocketAddress> neighbours() {
    return neighbours.get();
  }

  /** Writes stop (gossip is dropped) once this much is queued to a peer. */
  private WriteBufferWaterMark waterMark() {
    int high = (int) Math.min(Integer.MAX_VALUE, config.outboundBytesMaxPerPeer());
    return new WriteBufferWaterMark(high / 2, high);
  }

  private ChannelInitializer<SocketChannel> initializer(boolean outbound, ByteString expected) {
    ByteCounter byteCounter = new ByteCounter(counters);
    long silentMs =
        Math.max(SILENT_MS_MIN, SILENT_INTERVALS_MAX * config.statusInterval().toMillis());
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        Runnable authenticated;
        if (outbound) {
          authenticated = () -> {};
        } else {
          InetAddress remote = ch.remoteAddress().getAddress();
          if (!pendingHandshakes.tryAcquire(remote)) {
            // Before any TLS work: too many unauthenticated connections, from there or overall.
            counters.handshakesRefused.increment();
            log.debug("p2p: refusing {}: too many pending handshakes", remote);
            ch.close();
            return;
          }
          AtomicBoolean released = new AtomicBoolean();
          authenticated =
              () -> {
                if (released.compareAndSet(false, true)) {
                  pendingHandshakes.release(remote);
                }
              };
          // A connection closed mid-handshake (timeout, reset) gives its slot back too.
          ch.closeFuture().addListener(f -> authenticated.run());
        }
        channels.add(ch);
        var tlsContext = outbound ? tls.client : tls.server;
        ch.pipeline()
            .addLast("bytes", byteCounter)
            .addLast("tls", tlsContext.newHandler(ch.alloc()))
            .addLast("idle", new IdleStateHandler(silentMs, 0, 0, TimeUnit.MILLISECONDS))
            .addLast(
                "frameDecoder",
                new LengthFieldBasedFrameDecoder(
                    config.frameBytesMax(), 0, LENGTH_FIELD_BYTES, 0, LENGTH_FIELD_BYTES))
            .addLast("framePrepender", new LengthFieldPrepender(LENGTH_FIELD_BYTES))
            .addLast(
                "peer", new PeerChannelHandler(P2pNetwork.this, outbound, expected, authenticated));
      }
    };
  }

  // ---- public API

  /**
   * Floods a new gossip (origin = us, next sequence, ttl = {@link P2pConfig#gossipTtl()}) to all
   * connected neighbours. Never blocks: a neighbour whose queue is over its bound misses it (and it
   * is counted as dropped).
   *
   * @throws IllegalArgumentException if the gossip does not fit in a frame
   * @throws IllegalStateException after {@link #close()}
   */
  public void broadcast(GossipBody body) {
    if (closed) {
      throw new IllegalStateException("p2p network is closed");
    }
    // Checked before the body is marked seen: a body too large to send must not block a copy.
    // (The largest sequence and ttl stand in for the real ones.)
    PeerFrame largest =
        PeerFrame.newBuilder()
            .setGossip(
                Gossip.newBuilder().setOrigin(self).setSequence(-1).setTtl(255).setBody(body))
            .build();
    if (!fits(largest)) {
      throw new IllegalArgumentException(
          "gossip of " + largest.getSerializedSize() + " bytes is over the frame limit");
    }
    Gossip gossip = router.originate(body, System.nanoTime());
    sendToAll(PeerFrame.newBuilder().setGossip(gossip).build(), null);
  }

  /**
   * Asks {@code neighbour} for transactions by hash (at most {@link #TX_FETCH_HASHES_MAX}); the
   * answer goes to {@link P2pHandler#onTxsFetched}. False when it is not connected or the request
   * is too large. Never blocks.
   */
  public boolean fetchTxs(ByteString neighbour, List<ByteString> txHashes) {
    return fetchTxs(neighbour, txHashes, false);
  }

  /**
   * {@link #fetchTxs}; a {@code relay} fetch (after the neighbour's announcement) is answered as
   * bulk, which the neighbour may drop under backpressure.
   */
  public boolean fetchTxs(ByteString neighbour, List<ByteString> txHashes, boolean relay) {
    Peer peer = peers.get(neighbour);
    if (peer == null || txHashes.isEmpty() || txHashes.size() > TX_FETCH_HASHES_MAX) {
      return false;
    }
    send(
        peer,
        PeerFrame.newBuilder()
            .setTxFetch(TxFetch.newBuilder().addAllTxHashes(txHashes).setRelay(relay)));
    return true;
  }

  /**
   * Tells {@code neighbour} the hashes of transactions we hold (at most {@link
   * #TX_FETCH_HASHES_MAX}); it fetches those it lacks. False when it is not connected or the list
   * is too long. Never blocks.
   */
  public boolean announceTxs(ByteString neighbour, List<ByteString> txHashes) {
    Peer peer = peers.get(neighbour);
    if (peer == null || txHashes.isEmpty() || txHashes.size() > TX_FETCH_HASHES_MAX) {
      return false;
    }
    send(
        peer,
        PeerFrame.newBuilder().setTxAnnounce(TxAnnounce.newBuilder().addAllTxHashes(txHashes)));
    return true;
  }

  /** {@link #fetchTxs} from every connected neighbour. */
  public void fetchTxsFromAll(List<ByteString> txHashes) {
    for (ByteString neighbour : peers.keySet()) {
      fetchTxs(neighbour, txHashes);
    }
  }

  /** Neighbours connected now (TLS and Hello done). */
  public Set<ByteString> connectedPeers() {
    return Set.copyOf(peers.keySet());
  }

  /** The bound port. */
  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** Bytes queued to a connected neighbour and not yet written to its socket (0 if none). */
  long outboundQueuedBytes(ByteString neighbour) {
    Peer peer = peers.get(neighbour);
    if (peer == null) {
      return 0;
    }
    var buffer = peer.channel.unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  /** Counters since start, and the neighbours connected now. */
  public P2pStats stats() {
    return counters.snapshot(peers.size());
  }

  /** Stops accepting and dialing, closes all connections and stops the threads. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    timer.shutdownNow();
    syncServer.shutdownNow();
    proposalFetchServer.shutdownNow();
    channels.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS);
    group
        .shutdownGracefully(0, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS);
    log.info("p2p: {} closed", PeerKeyOrder.shortKey(self));
  }

  // ---- called by PeerChannelHandler on event loops

  P2pConfig config() {
    return config;
  }

  Counters counters() {
    return counters;
  }

  /** Why a TLS-authenticated key may not use this connection, or null if it may. */
  String refusal(ByteString key, boolean outbound, ByteString expected) {
    if (key == null) {
      return "no Ed25519 certificate";
    }
    if (!neighbours.get().containsKey(key)) {
      return "not an overlay neighbour";
    }
    if (outbound && !key.equals(expected)) {
      return "the TLS certificate there is for neighbour "
          + PeerKeyOrder.shortKey(key)
          + ", not for the genesis key of this address";
    }
    if (!outbound && PeerKeyOrder.weDial(self, key)) {
      return "we dial this neighbour, it must not dial us";
    }
    if (closed) {
      return "shutting down";
    }
    return null;
  }

  /** A dial of neighbour {@code key} connected but failed (TLS handshake or identity). */
  void dialFailed(ByteString key, String reason) {
    Dialer dialer = dialers.get(key);
    if (dialer != null) {
      dialer.failed(reason);
    }
  }

  /** Why the last dial of neighbour {@code key} failed; null after a success or if never. */
  String dialFailure(ByteString key) {
    Dialer dialer = dialers.get(key);
    return dialer == null ? null : dialer.lastFailure();
  }

  void sendHello(Peer peer) {
    // The first frame on a fresh connection: the queue is empty, so no bound to check.
    PeerFrame hello =
        PeerFrame.newBuilder().setHello(Hello.newBuilder().setChainId(config.chainId())).build();
    counters.framesSent.increment();
    peer.channel.writeAndFlush(
        Unpooled.wrappedBuffer(hello.toByteArray()), peer.channel.voidPromise());
  }

  void register(Peer peer) {
    Peer old = peers.put(peer.key, peer);
    if (old != null && old.channel != peer.channel) {
      log.info("p2p: {} connected again, closing its older connection", peer.shortKey);
      old.channel.close();
    }
    log.info("p2p: connected to {} ({})", peer.shortKey, peer.outbound ? "dialed" : "accepted");
    Dialer dialer = dialers.get(peer.key);
    if (dialer != null) {
      dialer.connected();
    }
    // Announce our height at once so a node that is behind starts syncing without waiting a tick.
    runOnTimer(() -> send(peer, status(source.height())));
  }

  void unregister(Peer peer) {
    if (peers.remove(peer.key, peer)) {
      log.info("p2p: disconnected from {}", peer.shortKey);
      sync.peerGone(peer.key);
    }
  }

  void onGossip(Peer from, Gossip gossip) {
    GossipRouter.Outcome outcome =
        router.receive(
            gossip,
            System.nanoTime(),
            g -> {
              try {
                return handler.onGossip(from.key, g.getOrigin(), g.getBody());
              } catch (RuntimeException e) {
                log.warn("p2p: gossip handler failed", e);
                return Verdict.REFUSE;
              }
            });
    switch (outcome.fate()) {
      case DUPLICATE -> counters.duplicatesIgnored.increment();
      case MALFORMED -> counters.framesDropped.increment();
      case REFUSED -> counters.gossipRefused.increment();
      case TAKEN -> {}
      case ACCEPTED, RELAYED_FURTHER -> {
        if (outcome.relay() != null) {
          sendToAll(PeerFrame.newBuilder().setGossip(outcome.relay()).build(), from);
        }
      }
    }
  }

  void onStatus(Peer from, PeerStatus status) {
    from.height = status.getHeight();
    if (status.getHeight() > ourHeight) {
      runOnTimer(this::requestSyncIfBehind);
    }
  }

  void onSyncRequest(Peer from, SyncRequest request) {
    if (!InboundFrames.servable(request)) {
      counters.framesDropped.increment();
      return;
    }
    int maxBlocks = Math.min(request.getMaxBlocks(), SyncState.BLOCKS_PER_REQUEST_MAX);
    try {
      syncServer.execute(() -> serveSync(from, request.getFromHeight(), maxBlocks));
    } catch (RejectedExecutionException e) {
      counters.framesDropped.increment(); // too many queued: the neighbour will ask again
    }
  }

  void onTxFetch(Peer from, TxFetch fetch) {
    if (!InboundFrames.servable(fetch)) {
      counters.framesDropped.increment();
      return;
    }
    boolean relay = fetch.getRelay();
    try {
      (relay ? syncServer : proposalFetchServer)
          .execute(() -> serveTxFetch(from, fetch.getTxHashesList(), relay));
    } catch (RejectedExecutionException e) {
      counters.framesDropped.increment(); // too many queued: the neighbour will ask again
    }
  }

  void onTxAnnounce(Peer from, TxAnnounce announce) {
    if (!InboundFrames.servable(announce)) {
      counters.framesDropped.increment();
      return;
    }
    try {
      handler.onTxAnnounce(from.key, announce.getTxHashesList());
    } catch (RuntimeException e) {
      log.warn("p2p: tx announcement handler failed", e);
    }
  }

  void onTxFetched(Peer from, TxFetched fetched) {
    try {
      handler.onTxsFetched(from.key, fetched.getTxsList());
    } catch (RuntimeException e) {
      log.warn("p2p: tx fetch handler failed", e);
    }
  }

  /** Answers a fetch with the transactions we have, as many as fit one frame. */
  private void serveTxFetch(Peer to, List<ByteString> hashes, boolean relay) {
    if (!to.channel.isActive() || to.channel.bytesBeforeUnwritable() < config.frameBytesMax()) {
      counters.framesDropped.increment();
      return;
    }
    TxFetched.Builder answer = TxFetched.newBuilder();
    long bytes = 0;
    long budget = config.frameBytesMax() - P2pConfig.SYNC_RESPONSE_HEADROOM_BYTES;
    for (Transaction tx : handler.onTxFetch(to.key, hashes)) {
      bytes += tx.getSerializedSize() + 8; // tag and length
      if (bytes > budget) {
        break;
      }
      answer.addTxs(tx);
    }
    // A relay answer fills a mempool and waits its turn like gossiped batches did; a proposal's
    // fetch is what a vote waits for.
    send(
        to,
        Unpooled.wrappedBuffer(PeerFrame.newBuilder().setTxFetched(answer).build().toByteArray()),
        relay);
  }

  void onSyncResponse(Peer from, SyncResponse response) {
    List<CommittedBlock> blocks = response.getBlocksList();
    if (!sync.accept(from.key, blocks, response.getSerializedSize(), System.nanoTime())) {
      counters.framesDropped.increment();
      runOnTimer(this::requestSyncIfBehind);
      return;
    }
    counters.blocksReceivedBySync.add(blocks.size());
    Verdict verdict;
    try {
      verdict = handler.onSyncedBlocks(from.key, blocks);
    } catch (RuntimeException e) {
      log.warn("p2p: sync handler failed", e);
      verdict = Verdict.REFUSE;
    }
    if (verdict != Verdict.ACCEPT) {
      // The neighbour loses sync score; the heights go to another neighbour if one is ahead.
      log.info("p2p: the node refused {} synced blocks from {}", blocks.size(), from.shortKey);
      sync.refused(from.key, System.nanoTime());
    }
    runOnTimer(this::requestSyncIfBehind);
  }

  // ---- timer and sync threads

  private void tick() {
    try {
      long height = source.height();
      ourHeight = height;
      PeerFrame status = status(height).build();
      for (Peer peer : peers.values()) {
        send(peer, status);
      }
      requestSyncIfBehind();
    } catch (RuntimeException e) {
      // An exception would cancel the periodic task: log and keep ticking.
      log.warn("p2p: status tick failed", e);
    }
  }

  private void requestSyncIfBehind() {
    long height = source.height();
    ourHeight = height;
    Map<ByteString, Long> heights = new HashMap<>();
    for (Peer peer : peers.values()) {
      if (peer.height != Peer.HEIGHT_UNKNOWN) {
        heights.put(peer.key, peer.height);
      }
    }
    SyncState.Request request = sync.next(height, heights, System.nanoTime());
    if (request == null) {
      return;
    }
    Peer peer = peers.get(request.peer());
    if (peer == null) {
      sync.peerGone(request.peer());
      return;
    }
    log.debug(
        "p2p: asking {} for blocks from {} (we have {}, it has {})",
        peer.shortKey,
        request.fromHeight(),
        height,
        peer.height);
    send(
        peer,
        PeerFrame.newBuilder()
            .setSyncRequest(
                SyncRequest.newBuilder()
                    .setFromHeight(request.fromHeight())
                    .setMaxBlocks(request.maxBlocks())));
  }

  private void serveSync(Peer to, long fromHeight, int maxBlocks) {
    if (!to.channel.isActive()) {
      return;
    }
    // A neighbour that asks and does not read must not make us read blocks into memory and queue
    // them past its outbound byte bound: answer only when a whole frame still fits.
    if (to.channel.bytesBeforeUnwritable() < config.frameBytesMax()) {
      counters.framesDropped.increment();
      return;
    }
    SyncResponse response = SyncState.answer(source, fromHeight, maxBlocks, config.frameBytesMax());
    PeerFrame frame = PeerFrame.newBuilder().setSyncResponse(response).build();
    counters.syncRequestsServed.increment();
    send(to, frame);
  }

  private void runOnTimer(Runnable task) {
    try {
      timer.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              log.warn("p2p: task failed", e);
            }
          });
    } catch (RejectedExecutionException e) {
      // Closing.
    }
  }

  // ---- sending

  private static PeerFrame.Builder status(long height) {
    return PeerFrame.newBuilder().setStatus(PeerStatus.newBuilder().setHeight(height));
  }

  private boolean fits(PeerFrame frame) {
    return frame.getSerializedSize() + LENGTH_FIELD_BYTES <= config.frameBytesMax();
  }

  private void send(Peer peer, PeerFrame.Builder frame) {
    send(peer, frame.build());
  }

  private void send(Peer peer, PeerFrame frame) {
    send(peer, Unpooled.wrappedBuffer(frame.toByteArray()));
  }

  /**
   * Writes one encoded frame (without its length prefix), or drops and counts it when it would take
   * the neighbour's queue past {@link P2pConfig#outboundBytesMaxPerPeer()} bytes (the high water
   * mark). Every frame after Hello is bounded: status and sync answers too, since a neighbour that
   * asks and never reads would otherwise grow our heap without limit. Writing bytes rather than the
   * message lets Netty count them in the channel's queued bytes even when written from another
   * thread; two threads racing past the check overshoot by at most a frame each.
   */
  private void send(Peer peer, ByteBuf frame) {
    send(peer, frame, false);
  }

  /**
   * {@link #send(Peer, ByteBuf)}; a {@code bulk} frame (a batch of transactions) is also dropped
   * when {@link #txGossipQueuedBytesMax} bytes are already queued to the neighbour. The queue is
   * one FIFO per connection, so without this a vote or proposal written during a flood waited
   * behind up to the whole outbound bound of transactions (64 MiB: seconds of TLS writes), and
   * heights went past round 0 for no other reason. A transaction dropped here still reaches a
   * block: its node proposes it in turn, and the others fetch it by hash (a proposal's fetch and
   * its answer are not bulk; the answer to a relay fetch, after an announcement, is).
   */
  private void send(Peer peer, ByteBuf frame, boolean bulk) {
    if (!peer.channel.isActive()) {
      // Closing (a protocol violation, say): not a drop for backpressure, and not counted as one,
      // or a status tick racing the close would count twice what the violation counted once.
      frame.release();
      return;
    }
    long room = peer.channel.bytesBeforeUnwritable();
    long queued = config.outboundBytesMaxPerPeer() - room;
    if (frame.readableBytes() + LENGTH_FIELD_BYTES > room
        || (bulk && queued >= txGossipQueuedBytesMax)) {
      frame.release();
      counters.framesDropped.increment();
      if (bulk) {
        counters.txGossipDropped.increment();
      }
      return;
    }
    counters.framesSent.increment();
    peer.channel.writeAndFlush(frame, peer.channel.voidPromise());
  }

  /** Gossip to every connected neighbour but {@code except}. */
  private void sendToAll(PeerFrame frame, Peer except) {
    ByteBuf encoded = Unpooled.wrappedBuffer(frame.toByteArray());
    boolean bulk = frame.getGossip().getBody().hasTxs();
    try {
      for (Peer peer : peers.values()) {
        if (peer != except) {
          send(peer, encoded.retainedDuplicate(), bulk);
        }
      }
    } finally {
      encoded.release();
    }
  }
}
