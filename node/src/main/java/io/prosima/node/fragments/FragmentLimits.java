package io.prosima.node.fragments;

import io.prosima.node.grpc.GrpcServer;
import java.util.regex.Pattern;

/** Limits of the fragment service; relations between them are checked when the class loads. */
public final class FragmentLimits {
  /** Bytes of one stored fragment (an erasure-coded share of one encrypted tile). */
  public static final int FRAGMENT_BYTES_MAX = 1 << 20;

  /** Fragments in one Put (the request itself is bounded by the gRPC inbound message size). */
  public static final int PUT_FRAGMENTS_MAX = 4096;

  /** Fragment refs in one Get. */
  public static final int GET_REFS_MAX = 64;

  /** Fragment bytes in one Get response: every requested fragment at full size fits. */
  public static final long GET_RESPONSE_BYTES_MAX = 64L << 20;

  /** Tile indexes are below this (64 × 64 tiles, the largest grid the ledger accepts). */
  public static final int TILES_MAX = 4096;

  /** Erasure-code fragment indexes are below this (s ≤ 255). */
  public static final int FRAGMENTS_PER_TILE_MAX = 255;

  /** Deletions one garbage-collection pass makes at most; the rest wait for the next pass. */
  public static final int GC_DELETES_PER_PASS_MAX = 100_000;

  /** Deletions per synced write batch during garbage collection. */
  public static final int GC_DELETES_PER_BATCH_MAX = 1_000;

  /**
   * Ids under this prefix that no image anchors hold a federated round's sealed weights: stored
   * like unanchored image fragments (hospitals, epoch 0, first uploader claims, orphan TTL), and
   * fetched by any hospital, since only the recipients' keys open them.
   */
  public static final String FEDERATION_PREFIX = "fed.";

  public static final Pattern IMAGE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  static {
    if ((long) GET_REFS_MAX * FRAGMENT_BYTES_MAX > GET_RESPONSE_BYTES_MAX) {
      throw new ExceptionInInitializerError("a full Get must fit GET_RESPONSE_BYTES_MAX");
    }
    // Fragment bytes plus per-fragment framing must fit one gRPC message.
    if (GET_RESPONSE_BYTES_MAX + (long) GET_REFS_MAX * 64 > GrpcServer.MESSAGE_BYTES_MAX) {
      throw new ExceptionInInitializerError("GET_RESPONSE_BYTES_MAX must fit a gRPC message");
    }
  }

  private FragmentLimits() {}
}
