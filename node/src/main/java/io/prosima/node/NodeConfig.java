package io.prosima.node;

import java.nio.file.Path;

/**
 * How a node runs. Limits carry their unit last; relations between them are checked by {@link
 * #check}.
 *
 * @param home node home: genesis.json, node-key.json, data/
 * @param grpcListen host:port to serve gRPC on; null means the validator's genesis grpc_address
 * @param mempoolTxsMax pending transactions kept at most
 * @param mempoolBytesMax pending transaction bytes kept at most
 * @param submitBatchTxsMax transactions accepted in one SubmitBatch call
 * @param commitWaitMs how long a wait_for_commit submission waits before answering "pending"
 * @param verifyThreads threads that verify transaction signatures (default: all cores)
 * @param blockSubscribersMax concurrent SubscribeBlocks streams
 * @param metricsListen loopback host:port of the Prometheus endpoint; null for none
 * @param fragmentQuotaBytesPerIdentity fragment bytes one uploader may keep on this node
 * @param fragmentOrphanTtlMs how long fragments of an image nobody anchored (or of a rekey that
 *     never committed) are kept, and how long an uploader's claim on an image id lasts
 * @param fragmentGcIntervalMs pause between fragment garbage-collection passes
 */
public record NodeConfig(
    Path home,
    String grpcListen,
    int mempoolTxsMax,
    long mempoolBytesMax,
    int submitBatchTxsMax,
    long commitWaitMs,
    int verifyThreads,
    int blockSubscribersMax,
    String metricsListen,
    long fragmentQuotaBytesPerIdentity,
    long fragmentOrphanTtlMs,
    long fragmentGcIntervalMs) {

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
    return new NodeConfig(
        home,
        null,
        DEFAULT_MEMPOOL_TXS_MAX,
        mempoolBytesFor(Runtime.getRuntime().maxMemory()),
        DEFAULT_SUBMIT_BATCH_TXS_MAX,
        DEFAULT_COMMIT_WAIT_MS,
        Runtime.getRuntime().availableProcessors(),
        DEFAULT_BLOCK_SUBSCRIBERS_MAX,
        null,
        DEFAULT_FRAGMENT_QUOTA_BYTES_PER_IDENTITY,
        DEFAULT_FRAGMENT_ORPHAN_TTL_MS,
        DEFAULT_FRAGMENT_GC_INTERVAL_MS);
  }

  public NodeConfig withGrpcListen(String listen) {
    return new NodeConfig(
        home,
        listen,
        mempoolTxsMax,
        mempoolBytesMax,
        submitBatchTxsMax,
        commitWaitMs,
        verifyThreads,
        blockSubscribersMax,
        metricsListen,
        fragmentQuotaBytesPerIdentity,
        fragmentOrphanTtlMs,
        fragmentGcIntervalMs);
  }

  public NodeConfig withMetricsListen(String listen) {
    return new NodeConfig(
        home,
        grpcListen,
        mempoolTxsMax,
        mempoolBytesMax,
        submitBatchTxsMax,
        commitWaitMs,
        verifyThreads,
        blockSubscribersMax,
        listen,
        fragmentQuotaBytesPerIdentity,
        fragmentOrphanTtlMs,
        fragmentGcIntervalMs);
  }

  /** The same config with other fragment-store limits. */
  public NodeConfig withFragments(long quotaBytesPerIdentity, long orphanTtlMs, long gcIntervalMs) {
    return new NodeConfig(
        home,
        grpcListen,
        mempoolTxsMax,
        mempoolBytesMax,
        submitBatchTxsMax,
        commitWaitMs,
        verifyThreads,
        blockSubscribersMax,
        metricsListen,
        quotaBytesPerIdentity,
        orphanTtlMs,
        gcIntervalMs);
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
    require(blockSubscribersMax >= 1, "blockSubscribersMax must be positive");
    require(fragmentQuotaBytesPerIdentity >= 1, "fragmentQuotaBytesPerIdentity must be positive");
    require(fragmentOrphanTtlMs >= 1, "fragmentOrphanTtlMs must be positive");
    require(fragmentGcIntervalMs >= 1, "fragmentGcIntervalMs must be positive");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("node config: " + message);
    }
  }
}
