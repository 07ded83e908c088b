package io.prosima.node;

import com.google.protobuf.ByteString;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.genesis.OverlayTopology;
import io.prosima.p2p.BlockSource;
import io.prosima.p2p.P2pConfig;
import io.prosima.p2p.P2pHandler;
import io.prosima.p2p.P2pNetwork;
import io.prosima.p2p.Verdict;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.GossipBody;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Validator;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** Test peers that join a chain's overlay with a validator's key but run no node. */
final class TestPeers {
  private TestPeers() {}

  /** Joins the overlay with a validator's key, as that validator's node would; ignores input. */
  static P2pNetwork joinAs(GenesisBuilder.Result chain, KeyFile key) throws Exception {
    return joinAs(chain, key, (origin, body) -> {});
  }

  /**
   * As {@link #joinAs(GenesisBuilder.Result, KeyFile)}, handing every gossip body received to
   * {@code gossip} (on a p2p thread: it must not block).
   */
  static P2pNetwork joinAs(
      GenesisBuilder.Result chain, KeyFile key, BiConsumer<ByteString, GossipBody> gossip)
      throws Exception {
    Map<ByteString, InetSocketAddress> neighbours = new HashMap<>();
    for (Validator v : OverlayTopology.neighbours(chain.genesis(), key.getName())) {
      neighbours.put(v.getPublicKey(), LedgerNode.address(v.getP2PAddress()));
    }
    Validator self =
        chain.genesis().getValidatorsList().stream()
            .filter(v -> v.getName().equals(key.getName()))
            .findFirst()
            .orElseThrow();
    P2pHandler handler =
        new P2pHandler() {
          @Override
          public Verdict onGossip(ByteString neighbour, ByteString origin, GossipBody body) {
            gossip.accept(origin, body);
            return Verdict.ACCEPT;
          }

          @Override
          public Verdict onSyncedBlocks(ByteString peer, List<CommittedBlock> blocks) {
            return Verdict.ACCEPT;
          }
        };
    BlockSource nothing =
        new BlockSource() {
          @Override
          public long height() {
            return 0;
          }

          @Override
          public List<CommittedBlock> blocks(long fromHeight, int maxBlocks, long maxBytes) {
            return List.of();
          }
        };
    return P2pNetwork.start(
        P2pConfig.defaults(
            chain.genesis().getChainId(),
            key,
            LedgerNode.address(self.getP2PAddress()),
            neighbours),
        handler,
        nothing);
  }
}
