package io.prosima.p2p;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.GossipBody;
import java.util.List;

/** What the p2p transport hands to the node. Both methods run on a Netty thread. */
public interface P2pHandler {
  /**
   * A gossip body seen for the first time (already relayed onward). Never called for our own
   * broadcasts. Called on a Netty thread: must not block. The body is not verified by p2p: it
   * carries its own signatures, which the node checks.
   */
  void onGossip(ByteString origin, GossipBody body);

  /**
   * Sync: consecutive blocks a neighbour sent in answer to our request, starting at the height we
   * asked for. p2p does not verify blocks or commit certificates: the node must check them before
   * applying. Must not block.
   */
  void onSyncedBlocks(ByteString peer, List<CommittedBlock> blocks);
}
