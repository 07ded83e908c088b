package io.prosima.proto.wire;

/**
 * Size limits that more than one module must agree on. The p2p layer frames messages up to {@link
 * #FRAME_BYTES_MAX}; genesis must not allow a block that cannot travel in one frame, and genesis
 * does not depend on p2p, so the number lives here (a p2p test checks that the two agree).
 */
public final class WireLimits {
  /** Largest p2p frame, the 4-byte length prefix included (p2p's default frame limit). */
  public static final int FRAME_BYTES_MAX = 32 << 20;

  /**
   * Bytes a block may need around it on the wire: the proposal (signature, round, proposer key),
   * the commit certificate of a committed block (up to 256 votes of about 200 bytes each), the
   * gossip envelope and a sync response's own headroom. Measured needs are about 120 KiB; 1 MiB
   * leaves a wide margin.
   */
  public static final int BLOCK_ENVELOPE_BYTES_MAX = 1 << 20;

  private WireLimits() {}
}
