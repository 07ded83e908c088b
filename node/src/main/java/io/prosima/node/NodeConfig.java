package io.prosima.node;

import io.prosima.node.ledger.TxAdmission;
import java.nio.file.Path;

/**
 * How a node runs. Limits carry their unit last; relations between them are checked by {@link
 * #check}. Operators set these in the config file, the environment or on the command line ({@link
 * io.prosima.node.config.NodeSettings}); the component names are the config keys.
 *
 * @param home node home: genesis.json, node-key.json, data/
 * @param grpcListen host:port to serve gRPC on; null means the validator's genesis grpc_address
 * @param p2pListen host:port to accept overlay neighbours on; null means the validator's genesis
 *     p2p_address (what neighbours dial, whatever this node listens on)
 * @param mempoolTxsMax pending transactions kept at most
 * @param mempoolBytesMax pending transaction bytes kept at most
 * @param submitBatchTxsMax transactions accepted in one SubmitBatch call
 * @param commitWaitMs how long a wait_for_commit submission waits before answering "pending"
 * @param verifyThreads threads that verify transaction signatures (default: all cores)
 * @param clientPendingBlocks clients' transactions are refused ("busy, retry later") while the
 *     mempool holds this many blocks' worth (see {@code TxAdmission})
 * @param blockSubscribersMax concurrent SubscribeBlocks streams
 * @param metricsListen host:port of the Prometheus endpoint; null for none
 * @param metricsNonLoopbackAllowed whether metricsListen may be other than a loopback address (the
 *     endpoint has no authentication, so this is an explicit choice)
 * @param fragmentQuotaBytesPerIdentity fragment bytes one uploader may keep on this node
 * @param fragmentOrphanTtlMs how long fragments of an image nobody anchored (or of a rekey that
 *     never committed) are kept, and how long an uploader's claim on an image id lasts
 * @param fragmentGcIntervalMs pause between fragment garbage-collection passes
 * @param p2p per-neighbour limits and timers of the overlay transport
 */
public record NodeConfig(
    Path home,
    String grpcListen,
    String p2pListen,
    int mempoolTxsMax,
    long mempoolBytesMax,
    int submitBatchTxsMax,
    long commitWaitMs,
    int verifyThreads,
    int clientPendingBlocks,
    int blockSubscribersMax,
    String metricsListen,
    boolean metricsNonLoopbackAllowed,
    long fragmentQuotaBytesPerIdentity,
    long fragmentOrphanTtlMs,
    long fragmentGcIntervalMs,
    P2pTuning p2p) {

  public static final int DEFAULT_MEMPOOL_TXS_MAX = 200_000;

  /** Upper bound of the default mempool byte limit (wire bytes); see {@link #mempoolBytesFor}. */
  public static final long DEFAULT_MEMPOOL_BYTES_MAX = 512L << 20;

  /**
   * A parsed transaction takes about 2.3 times its wire size on the heap (4,416 bytes for a
   * 1,927-byte ImageAnchor, measured), plus the mempool's indexes; pending transactions may use at
   * most about half the heap, so their wire bytes are capped at a sixth of it. A flat 512 MiB let a
   * flooded validator with a 1 GiB heap run out of memory: its gRPC handlers then failed with
   * "UNKNOWN: Application error processing RPC" (the crash of {@code bench testnet} with warm-up).
   */
  public static long mempoolBytesFor(long maxHeapBytes) {
    return Math.max(1L << 20, Math.min(DEFAULT_MEMPOOL_BYTES_MAX, maxHeapBytes / 6));
  }

  public static final int DEFAULT_SUBMIT_BATCH_TXS_MAX = 10_000;
  public static final long DEFAULT_COMMIT_WAIT_MS = 30_000;
  public static final int DEFAULT_BLOCK_SUBSCRIBERS_MAX = 64;
  public static final long DEFAULT_FRAGMENT_QUOTA_BYTES_PER_IDENTITY = 8L << 30;
  public static final long DEFAULT_FRAGMENT_ORPHAN_TTL_MS = 60 * 60_000L;
  public static final long DEFAULT_FRAGMENT_GC_INTERVAL_MS = 5 * 60_000L;

  public static NodeConfig defaults(Path home) {
    return builder(home).build();
  }

  /** A builder holding the defaults. */
  public static Builder builder(Path home) {
    return new Builder(home);
  }

  /** A builder holding this config. */
  public Builder toBuilder() {
    Builder b = new Builder(home);
    b.grpcListen = grpcListen;
    b.p2pListen = p2pListen;
    b.mempoolTxsMax = mempoolTxsMax;
    b.mempoolBytesMax = mempoolBytesMax;
    b.submitBatchTxsMax = submitBatchTxsMax;
    b.commitWaitMs = commitWaitMs;
    b.verifyThreads = verifyThreads;
    b.clientPendingBlocks = clientPendingBlocks;
    b.blockSubscribersMax = blockSubscribersMax;
    b.metricsListen = metricsListen;
    b.metricsNonLoopbackAllowed = metricsNonLoopbackAllowed;
    b.fragmentQuotaBytesPerIdentity = fragmentQuotaBytesPerIdentity;
    b.fragmentOrphanTtlMs = fragmentOrphanTtlMs;
    b.fragmentGcIntervalMs = fragmentGcIntervalMs;
    b.p2pFramesPerSecondPerPeer = p2p.framesPerSecondPerPeer();
    b.p2pOutboundBytesMaxPerPeer = p2p.outboundBytesMaxPerPeer();
    b.p2pStatusIntervalMs = p2p.statusIntervalMs();
    b.p2pReconnectMinMs = p2p.reconnectMinMs();
    b.p2pReconnectMaxMs = p2p.reconnectMaxMs();
    return b;
  }

  public NodeConfig withGrpcListen(String listen) {
    Builder b = toBuilder();
    b.grpcListen = listen;
    return b.build();
  }

  public NodeConfig withP2pListen(String listen) {
    Builder b = toBuilder();
    b.p2pListen = listen;
    return b.build();
  }

  public NodeConfig withMetricsListen(String listen) {
    Builder b = toBuilder();
    b.metricsListen = listen;
    return b.build();
  }

  /** The same config with other fragment-store limits. */
  public NodeConfig withFragments(long quotaBytesPerIdentity, long orphanTtlMs, long gcIntervalMs) {
    Builder b = toBuilder();
    b.fragmentQuotaBytesPerIdentity = quotaBytesPerIdentity;
    b.fragmentOrphanTtlMs = orphanTtlMs;
    b.fragmentGcIntervalMs = gcIntervalMs;
    return b.build();
  }

  /** Mutable form of a config, starting from the defaults; fields are the config keys. */
  public static final class Builder {
    private final Path home;
    public String grpcListen;
    public String p2pListen;
    public int mempoolTxsMax = DEFAULT_MEMPOOL_TXS_MAX;
    public long mempoolBytesMax = mempoolBytesFor(Runtime.getRuntime().maxMemory());
    public int submitBatchTxsMax = DEFAULT_SUBMIT_BATCH_TXS_MAX;
    public long commitWaitMs = DEFAULT_COMMIT_WAIT_MS;
    public int verifyThreads = Runtime.getRuntime().availableProcessors();
    public int clientPendingBlocks = TxAdmission.DEFAULT_CLIENT_PENDING_BLOCKS;
    public int blockSubscribersMax = DEFAULT_BLOCK_SUBSCRIBERS_MAX;
    public String metricsListen;
    public boolean metricsNonLoopbackAllowed;
    public long fragmentQuotaBytesPerIdentity = DEFAULT_FRAGMENT_QUOTA_BYTES_PER_IDENTITY;
    public long fragmentOrphanTtlMs = DEFAULT_FRAGMENT_ORPHAN_TTL_MS;
    public long fragmentGcIntervalMs = DEFAULT_FRAGMENT_GC_INTERVAL_MS;
    public int p2pFramesPerSecondPerPeer = P2pTuning.defaults().framesPerSecondPerPeer();
    public long p2pOutboundBytesMaxPerPeer = P2pTuning.defaults().outboundBytesMaxPerPeer();
    public long p2pStatusIntervalMs = P2pTuning.defaults().statusIntervalMs();
    public long p2pReconnectMinMs = P2pTuning.defaults().reconnectMinMs();
    public long p2pReconnectMaxMs = P2pTuning.defaults().reconnectMaxMs();

    private Builder(Path home) {
      this.home = home;
    }

    public NodeConfig build() {
      return new NodeConfig(
          home,
          grpcListen,
          p2pListen,
          mempoolTxsMax,
          mempoolBytesMax,
          submitBatchTxsMax,
          commitWaitMs,
          verifyThreads,
          clientPendingBlocks,
          blockSubscribersMax,
          metricsListen,
          metricsNonLoopbackAllowed,
          fragmentQuotaBytesPerIdentity,
          fragmentOrphanTtlMs,
          fragmentGcIntervalMs,
          new P2pTuning(
              p2pFramesPerSecondPerPeer,
              p2pOutboundBytesMaxPerPeer,
              p2pStatusIntervalMs,
              p2pReconnectMinMs,
              p2pReconnectMaxMs));
    }
  }

  /** Refuses limits that cannot work together. */
  public void check(long blockTxsMax) {
    require(mempoolTxsMax >= 1 && mempoolBytesMax >= 1, "mempool limits must be positive");
    require(mempoolTxsMax >= blockTxsMax, "mempoolTxsMax must hold at least one full block of txs");
    require(
        submitBatchTxsMax >= 1 && submitBatchTxsMax <= mempoolTxsMax,
        "submitBatchTxsMax must be in 1..mempoolTxsMax");
    require(commitWaitMs >= 1, "commitWaitMs must be positive");
    require(verifyThreads >= 1 && verifyThreads <= 256, "verifyThreads must be in 1..256");
    require(
        clientPendingBlocks >= 1 && clientPendingBlocks <= 1_000,
        "clientPendingBlocks must be in 1..1000");
    require(blockSubscribersMax >= 1, "blockSubscribersMax must be positive");
    require(fragmentQuotaBytesPerIdentity >= 1, "fragmentQuotaBytesPerIdentity must be positive");
    require(fragmentOrphanTtlMs >= 1, "fragmentOrphanTtlMs must be positive");
    require(fragmentGcIntervalMs >= 1, "fragmentGcIntervalMs must be positive");
    p2p.check();
  }

  static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("node config: " + message);
    }
  }
}
