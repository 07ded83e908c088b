package io.prosima.p2p;

import io.prosima.proto.v1.CommittedBlock;
import java.util.List;

/**
 * The node's committed chain as p2p sees it: to announce our height and to answer neighbours' sync
 * requests. Called from p2p's own threads, never from a Netty event loop; may block briefly.
 */
public interface BlockSource {
  /** Our committed height (sent in PeerStatus, compared with neighbours'); 0 before block 1. */
  long height();

  /**
   * Consecutive committed blocks from {@code fromHeight} on, at most {@code maxBlocks} of them and
   * about {@code maxBytes} in serialized size (at least one block if any exists); empty when we do
   * not have {@code fromHeight}.
   */
  List<CommittedBlock> blocks(long fromHeight, int maxBlocks, long maxBytes);
}
