package io.prosima.node.bench;

import io.prosima.genesis.ChainLayout;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.node.LedgerNode;
import io.prosima.node.NodeConfig;
import io.prosima.node.client.BusyRefusals;
import io.prosima.node.client.NodeClient;
import io.prosima.proto.v1.AccessLog;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.StatusRequest;
import io.prosima.proto.v1.SubmitBatchRequest;
import io.prosima.proto.v1.SubmitBatchResponse;
import io.prosima.proto.v1.SubmitRequest;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.Transaction;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * One node, in this process, over real gRPC with mutual TLS on loopback. Phase 1 floods it with
 * pre-signed ImageAnchor transactions (admission rate, commit throughput). Phase 2 offers a steady
 * load below that and measures submit-to-commit latency as a client sees it (wait_for_commit).
 */
public final class LedgerBenchmark {
  public record Options(
      boolean smallTxs,
      int txs,
      int batchTxs,
      int clients,
      int signers,
      double paceFraction,
      int paceSeconds,
      double paceRate,
      int warmupSeconds,
      int warmupFloodTxs) {}

  private final Options options;
  private final PrintStream out;

  /** Signed transactions expire this many heights above the chain's height at signing. */
  static final long EXPIRY_HEIGHTS_AHEAD = 5_000;

  /** Connections the steady phase opens to each node, shared by the signers using that node. */
  static final int PACED_CONNECTIONS_PER_NODE = 4;

  // Reads the chain's height when signing; set by runAgainst.
  private NodeClient watcher;

  public LedgerBenchmark(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public void run() throws Exception {
    Path dir = Files.createTempDirectory("prosima-bench-ledger");
    GenesisBuilder.Result chain =
        new GenesisBuilder()
            .chainId("bench")
            .validators(1)
            .clients(options.signers(), 1, 0)
            .basePort(40000 + new SecureRandom().nextInt(20000))
            .build(new SecureRandom());
    ChainLayout.write(dir, chain);
    int cores = Runtime.getRuntime().availableProcessors();
    out.printf(
        "bench ledger: 1 validator, %d cores, signature verification on %d threads, block <= %d txs every %d ms%n",
        cores,
        cores,
        chain.genesis().getConsensus().getBlockTxsMax(),
        chain.genesis().getConsensus().getBlockIntervalMs());
    try (LedgerNode node =
        LedgerNode.start(
            NodeConfig.defaults(dir.resolve("validator-0")).withGrpcListen("127.0.0.1:0"))) {
      runAgainst(
          List.of("127.0.0.1:" + node.grpcPort()),
          chain.genesis(),
          chain.clientKeys().subList(0, options.signers()),
          chain.clientKeys().get(options.signers()));
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * Runs both phases against running nodes. Signer s sends everything to {@code addresses[s % n]},
   * so each signer's nonces reach one node in order; commits are watched on every node.
   */
  public void runAgainst(
      List<String> addresses, Genesis genesis, List<KeyFile> signers, KeyFile watcherKey)
      throws Exception {
    AnchorTxFactory factory = new AnchorTxFactory(genesis.getChainId());
    long[] nonces = new long[signers.size()];
    List<NodeClient> watchers = new ArrayList<>();
    try {
      for (String a : addresses) {
        watchers.add(new NodeClient(a, watcherKey, genesis));
      }
      watcher = watchers.get(0);
      if (options.smallTxs()) {
        anchorOwnImages(addresses, genesis, signers, nonces, factory);
      }
      if (options.warmupSeconds() > 0) {
        // The JIT compilers of every process are busy for a minute or two after start on two
        // cores; measuring then would measure the compilers.
        double warmRate = options.paceRate() > 0 ? options.paceRate() / 2 : 500;
        paced(
            addresses,
            genesis,
            signers,
            nonces,
            factory,
            warmRate,
            options.warmupSeconds(),
            "warm-up (not part of the figures)");
      }
      if (options.warmupFloodTxs() > 0) {
        // A flood nobody reports: until C2 has compiled the hot paths (AES-GCM, Ed25519, protobuf)
        // a node runs several times slower, and phase 1 would measure the compiler.
        out.printf(
            "warm-up flood of %d transactions (not part of the figures)...%n",
            options.warmupFloodTxs());
        List<List<Transaction>> warm =
            sign(factory, signers, nonces, options.warmupFloodTxs(), "warm");
        flood(addresses, genesis, signers, warm, watchers, false);
      }
      out.printf("signing %d transactions (client side, not timed)...%n", options.txs());
      List<List<Transaction>> perSigner = sign(factory, signers, nonces, options.txs(), "flood");
      int txBytes = perSigner.get(0).get(0).getSerializedSize();
      out.printf(
          "each transaction: %s, %d bytes%n",
          options.smallTxs() ? "AccessLog" : "ImageAnchor, 16 tiles", txBytes);

      flood(addresses, genesis, signers, perSigner, watchers, true);
      printSignatureLimit(perSigner.get(0));
      paced(addresses, genesis, signers, nonces, factory);
    } finally {
      watchers.forEach(NodeClient::close);
    }
  }

  /**
   * How long a flood client waits before sending again what a busy node refused: doubling while
   * nothing goes in, back to the first after progress. A fixed 20 ms had 64 clients send a busy
   * node 590,000 refused txs (1.1 GB it had to parse) to admit 20,000.
   */
  static final long BUSY_PAUSE_MS_MIN = 20;

  static final long BUSY_PAUSE_MS_MAX = 640;

  /** A flood client's batch shrinks to what a busy node took, down to this many txs. */
  static final int BUSY_BATCH_TXS_MIN = 20;

  private static String addressOf(List<String> addresses, int signer) {
    return addresses.get(signer % addresses.size());
  }

  private static String ownImage(int signer) {
    return "bench-own-" + signer;
  }

  private static Payload accessLog(String imageId) {
    return Payload.newBuilder()
        .setAccessLog(AccessLog.newBuilder().setImageId(imageId).setAction("read"))
        .build();
  }

  /** Small transactions log access to the signer's own image, which must be anchored first. */
  private static void anchorOwnImages(
      List<String> addresses,
      Genesis genesis,
      List<KeyFile> signers,
      long[] nonces,
      AnchorTxFactory factory)
      throws Exception {
    for (int s = 0; s < signers.size(); s++) {
      try (NodeClient node = new NodeClient(addressOf(addresses, s), signers.get(s), genesis)) {
        var r =
            node.submit()
                .submit(
                    SubmitRequest.newBuilder()
                        .setTx(factory.anchorTx(signers.get(s), ++nonces[s], 5_000, ownImage(s)))
                        .setWaitForCommit(true)
                        .build());
        if (!r.getCommitted()) {
          throw new IllegalStateException(
              "set-up anchor refused: " + r.getCode() + " " + r.getMessage());
        }
      }
    }
  }

  private List<List<Transaction>> sign(
      AnchorTxFactory factory, List<KeyFile> signers, long[] nonces, int count, String tag) {
    List<List<Transaction>> perSigner = new ArrayList<>();
    int each = (count + signers.size() - 1) / signers.size();
    // Expiry is a height: count from where the chain is now (busy chains make many small blocks).
    long expiry =
        watcher.query().getStatus(StatusRequest.getDefaultInstance()).getHeight()
            + EXPIRY_HEIGHTS_AHEAD;
    for (int s = 0; s < signers.size(); s++) {
      int signer = s;
      long base = nonces[s];
      List<Transaction> txs =
          IntStream.range(0, each)
              .parallel()
              .mapToObj(
                  i ->
                      options.smallTxs()
                          ? factory.sign(
                              signers.get(signer),
                              base + i + 1,
                              expiry,
                              accessLog(ownImage(signer)))
                          : factory.anchorTx(
                              signers.get(signer),
                              base + i + 1,
                              expiry,
                              tag + "-" + signer + "-" + (base + i + 1)))
              .toList();
      nonces[s] = base + each;
      perSigner.add(txs);
    }
    return perSigner;
  }

  private void flood(
      List<String> addresses,
      Genesis genesis,
      List<KeyFile> signers,
      List<List<Transaction>> perSigner,
      List<NodeClient> watchers,
      boolean report)
      throws Exception {
    long total = perSigner.stream().mapToLong(List::size).sum();
    NodeClient watcher = watchers.get(0);
    long startHeight = watcher.query().getStatus(StatusRequest.getDefaultInstance()).getHeight();
    ExecutorService clients = Executors.newFixedThreadPool(options.clients());
    AtomicLong accepted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong busyRefusals = new AtomicLong();
    AtomicLong connectionRetries = new AtomicLong();
    ConcurrentHashMap<String, Long> refusals = new ConcurrentHashMap<>();
    long cpuStart = processCpuNanos();
    long start = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int c = 0; c < options.clients(); c++) {
      int client = c;
      futures.add(
          clients.submit(
              () -> {
                // Each client owns whole signers so a signer's nonces arrive in order. One
                // connection per node and client thread: a node accepts any authenticated client's
                // relay of others' signed transactions, and hundreds of TLS handshakes at once
                // would measure the handshakes.
                Map<String, NodeClient> byNode = new HashMap<>();
                long pause = BUSY_PAUSE_MS_MIN;
                int sendTxs = options.batchTxs();
                int failures = 0;
                try {
                  for (int s = client; s < perSigner.size(); s += options.clients()) {
                    String address = addressOf(addresses, s);
                    NodeClient node = byNode.get(address);
                    if (node == null) {
                      node = new NodeClient(address, signers.get(s), genesis);
                      byNode.put(address, node);
                    }
                    List<Transaction> txs = perSigner.get(s);
                    for (int i = 0; i < txs.size(); ) {
                      List<Transaction> batch = txs.subList(i, Math.min(txs.size(), i + sendTxs));
                      SubmitBatchResponse r;
                      try {
                        r =
                            node.submit()
                                .submitBatch(
                                    SubmitBatchRequest.newBuilder().addAllTxs(batch).build());
                        failures = 0;
                      } catch (io.grpc.StatusRuntimeException e) {
                        // An overloaded node may drop a connection or miss a TLS handshake
                        // deadline: connect again and resend, as a client would, and say how
                        // often. A node that stays unreachable ends the benchmark.
                        if (!ConnectionRetry.transientFailure(e)
                            || ++failures > ConnectionRetry.ATTEMPTS_MAX) {
                          throw e;
                        }
                        connectionRetries.incrementAndGet();
                        node.close();
                        Thread.sleep(ConnectionRetry.PAUSE_MS);
                        node = new NodeClient(address, signers.get(s), genesis);
                        byNode.put(address, node);
                        continue;
                      }
                      // A busy node admits a prefix and refuses the rest as MEMPOOL_FULL: send
                      // the rest again after a pause, as a client should.
                      List<SubmitResponse> results = r.getResultsList();
                      int busyAt = BusyRefusals.firstBusy(results);
                      if (busyAt >= 0) {
                        busyRefusals.addAndGet(results.size() - busyAt);
                        results = results.subList(0, busyAt);
                        pause =
                            busyAt == 0
                                ? Math.min(BUSY_PAUSE_MS_MAX, pause * 2)
                                : BUSY_PAUSE_MS_MIN;
                        // Send about what fitted: a refused tx still costs the node its parse.
                        sendTxs = Math.max(BUSY_BATCH_TXS_MIN, busyAt == 0 ? sendTxs / 2 : busyAt);
                        Thread.sleep(pause);
                      } else {
                        pause = BUSY_PAUSE_MS_MIN;
                        sendTxs = Math.min(options.batchTxs(), sendTxs * 2);
                      }
                      i += results.size();
                      for (SubmitResponse sr : results) {
                        (sr.getAccepted() ? accepted : refused).incrementAndGet();
                        if (!sr.getAccepted()) {
                          refusals.merge(
                              sr.getCode() + ": " + sr.getMessage().replaceAll("[0-9]+", "N"),
                              1L,
                              Long::sum);
                        }
                      }
                    }
                  }
                } finally {
                  byNode.values().forEach(NodeClient::close);
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    long admittedNanos = System.nanoTime() - start;
    long admittedCpu = processCpuNanos() - cpuStart;
    clients.shutdown();
    // Commits are seen by polling status (cheap), not by streaming every block back: a block
    // stream in this same process would spend the cores being measured.
    long committedNanos = admittedNanos;
    long deadline = System.nanoTime() + 300_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (allCommitted(watchers)) {
        committedNanos = System.nanoTime() - start;
        break;
      }
      Thread.sleep(5);
    }
    long height = watcher.query().getStatus(StatusRequest.getDefaultInstance()).getHeight();
    if (!report) {
      return;
    }
    refusals.forEach((reason, n) -> out.printf("  refused %d: %s%n", n, reason));
    if (accepted.get() == 0) {
      throw new IllegalStateException(
          "nothing admitted; " + refused.get() + " transactions were refused");
    }
    double admitSeconds = admittedNanos / 1e9;
    double commitSeconds = committedNanos / 1e9;
    out.printf(
        "%nphase 1: flood of %d txs from %d client connections, batches of %d%n",
        total, options.clients(), options.batchTxs());
    out.printf(
        "  admitted      %d txs (refused %d) in %.2f s = %.0f tx/s"
            + " (%d refusals as busy, sent again; %d batches sent again on a new connection)%n",
        accepted.get(),
        refused.get(),
        admitSeconds,
        accepted.get() / admitSeconds,
        busyRefusals.get(),
        connectionRetries.get());
    out.printf(
        "  committed     %d txs in %d blocks, mempool empty after %.2f s = %.0f tx/s%n",
        accepted.get(), height - startHeight, commitSeconds, accepted.get() / commitSeconds);
    lastFloodRate = accepted.get() / commitSeconds;
    out.println("  " + CommitRounds.summary(watcher, startHeight + 1, height));
    long committedCpu = processCpuNanos() - cpuStart;
    if (admittedCpu > 0) {
      // CPU time rather than wall time: it stays put when other processes share the cores.
      out.printf(
          "  CPU of this process (node and its clients): %.0f µs per tx until admitted,"
              + " %.0f µs per tx until committed%n",
          admittedCpu / 1e3 / accepted.get(), committedCpu / 1e3 / accepted.get());
    }
  }

  private void printSignatureLimit(List<Transaction> txs) throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    double limit = SignatureLimit.verificationsPerSecond(txs, cores, 3.0);
    out.printf(
        "  physical limit: %.0f Ed25519 verifications/s of these txs on %d cores, nothing else%n",
        limit, cores);
  }

  /** CPU time of every thread of this process so far, or -1 where the JVM cannot tell. */
  static long processCpuNanos() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime()
        : -1;
  }

  private double lastFloodRate;

  /** Every node's mempool is empty and all are at one height. */
  private static boolean allCommitted(List<NodeClient> watchers) {
    long height = -1;
    for (NodeClient w : watchers) {
      var status = w.query().getStatus(StatusRequest.getDefaultInstance());
      if (status.getMempoolTxs() != 0 || (height >= 0 && status.getHeight() != height)) {
        return false;
      }
      height = status.getHeight();
    }
    return true;
  }

  private void paced(
      List<String> addresses,
      Genesis genesis,
      List<KeyFile> signers,
      long[] nonces,
      AnchorTxFactory factory)
      throws Exception {
    // A fixed offered rate when given, otherwise a fraction of what phase 1 sustained.
    double rate =
        options.paceRate() > 0
            ? options.paceRate()
            : Math.max(100, lastFloodRate * options.paceFraction());
    paced(addresses, genesis, signers, nonces, factory, rate, options.paceSeconds(), "phase 2");
  }

  /**
   * Steady open-loop load at {@code rate} for {@code seconds} ({@link OpenLoopLoad}); prints what
   * was offered, what committed, and submit-to-commit percentiles counted from when each batch was
   * due.
   */
  private void paced(
      List<String> addresses,
      Genesis genesis,
      List<KeyFile> signers,
      long[] nonces,
      AnchorTxFactory factory,
      double rate,
      int seconds,
      String phase)
      throws Exception {
    // About 50 batches a second: small enough batches that a batch waits little for the next
    // block, few enough calls that the generator itself stays cheap.
    int batch = (int) Math.max(10, Math.min(500, Math.round(rate / 50)));
    long batches = Math.max(1, Math.round(rate / batch * seconds));
    out.printf(
        "%n%s: open-loop %.0f tx/s for %d s, batches of %d due every %.1f ms, %d signers"
            + " (one batch in flight each, wait_for_commit)%n",
        phase, rate, seconds, batch, 1000.0 * batch / rate, signers.size());
    // Each signer gets half as many again as an even share: idle signers are taken in turn.
    long perSignerBatches = (long) Math.ceil(batches * 1.5 / signers.size());
    List<List<Transaction>> perSigner =
        sign(factory, signers, nonces, (int) (perSignerBatches * batch * signers.size()), "paced");
    List<NodeClient> connections = new ArrayList<>();
    try {
      // A few connections per node, shared by its signers (HTTP/2 multiplexes their calls).
      List<NodeClient> shared = new ArrayList<>();
      for (int s = 0; s < signers.size(); s++) {
        int slot = s % (addresses.size() * PACED_CONNECTIONS_PER_NODE);
        if (slot == shared.size()) {
          shared.add(new NodeClient(addressOf(addresses, s), signers.get(s), genesis));
        }
        connections.add(shared.get(slot));
      }
      long startHeight = watcher.query().getStatus(StatusRequest.getDefaultInstance()).getHeight();
      OpenLoopLoad.Result r = OpenLoopLoad.run(perSigner, connections, batch, rate, seconds);
      long endHeight = watcher.query().getStatus(StatusRequest.getDefaultInstance()).getHeight();
      double committedRate = r.committedTxs() / r.seconds();
      out.printf(
          "  offered       %d txs (%.0f tx/s); not sent, every signer busy: %d%n",
          r.offeredTxs(), r.offeredTxs() / (double) seconds, r.unsentTxs());
      out.printf(
          "  committed     %d txs in %.2f s = %.0f tx/s; refused or timed out %d%n",
          r.committedTxs(), r.seconds(), committedRate, r.refusedTxs());
      out.printf(
          "  submit-to-commit (from when each batch was due): p50 %.1f ms, p99 %.1f ms,"
              + " max %.1f ms%n",
          r.latencyMicros().getValueAtPercentile(50) / 1000.0,
          r.latencyMicros().getValueAtPercentile(99) / 1000.0,
          r.latencyMicros().getMaxValue() / 1000.0);
      out.println("  " + CommitRounds.summary(watcher, startHeight + 1, endHeight));
      if (r.unsentTxs() > 0) {
        out.printf(
            "  NOTE: the generator could not offer the full rate; run with more --signers%n");
      }
    } finally {
      new java.util.HashSet<>(connections).forEach(NodeClient::close);
    }
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
