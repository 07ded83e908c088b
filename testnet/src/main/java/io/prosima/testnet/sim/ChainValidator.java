package io.prosima.testnet.sim;

import com.google.protobuf.ByteString;
import io.prosima.consensus.bft.BlockValidator;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.BlockHeader;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.wire.BlockCodec;
import java.util.List;
import java.util.Map;

/**
 * The simulator's valid(v): header fields only, against the node's own durable chain: chain id,
 * next height, previous-hash link, increasing time, a validator as proposer, no transactions.
 */
final class ChainValidator implements BlockValidator {
  private final String chainId;
  private final List<CommittedBlock> chain;
  private final Map<ByteString, Long> weights;

  ChainValidator(String chainId, List<CommittedBlock> chain, Map<ByteString, Long> weights) {
    this.chainId = chainId;
    this.chain = chain;
    this.weights = weights;
  }

  @Override
  public String check(Block block) {
    BlockHeader h = block.getHeader();
    if (!h.getChainId().equals(chainId)) {
      return "chain id";
    }
    if (h.getHeight() != chain.size() + 1) {
      return "height " + h.getHeight() + " does not follow " + chain.size();
    }
    if (!h.getPreviousHash().equals(previousHash(chain))) {
      return "previous hash does not link to the chain";
    }
    long parentTime =
        chain.isEmpty() ? 0 : chain.get(chain.size() - 1).getBlock().getHeader().getTimeMs();
    if (h.getTimeMs() <= parentTime) {
      return "time not after parent";
    }
    if (!weights.containsKey(h.getProposer())) {
      return "proposer is not a validator";
    }
    if (h.getTxCount() != 0 || block.getTxsCount() != 0) {
      return "simulated blocks carry no transactions";
    }
    return null;
  }

  static ByteString previousHash(List<CommittedBlock> chain) {
    if (chain.isEmpty()) {
      return ByteString.copyFrom(new byte[32]);
    }
    return ByteString.copyFrom(
        BlockCodec.blockId(chain.get(chain.size() - 1).getBlock().getHeader()));
  }
}
