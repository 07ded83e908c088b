package io.prosima.testnet.sim;

import com.google.protobuf.ByteString;
import io.prosima.consensus.bft.BlockValidator;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.BlockHeader;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.MerkleTree;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The simulator's valid(v), against the node's own durable chain: chain id, next height,
 * previous-hash link, increasing time, a validator as proposer; at most {@link #BLOCK_TXS_MAX}
 * transactions, matching the header's count and RFC 6962 root over their hashes, none already in
 * the chain or twice in the block, each well-formed (chain id, known signer, AccessLog payload, not
 * expired, valid signature).
 */
final class ChainValidator implements BlockValidator {
  static final int BLOCK_TXS_MAX = 20;

  private final String chainId;
  private final List<CommittedBlock> chain;
  private final Map<ByteString, Long> chainTxs;
  private final Map<ByteString, Long> weights;
  private final Set<ByteString> signers;
  private final TxCache txCache;
  private final boolean refuseRepeats;

  /**
   * @param chainTxs height of every transaction in {@code chain}, by tx hash
   * @param refuseRepeats false only under {@link Sabotage#REPEAT_COMMITTED_TX}
   */
  ChainValidator(
      String chainId,
      List<CommittedBlock> chain,
      Map<ByteString, Long> chainTxs,
      Map<ByteString, Long> weights,
      Set<ByteString> signers,
      TxCache txCache,
      boolean refuseRepeats) {
    this.chainId = chainId;
    this.chain = chain;
    this.chainTxs = chainTxs;
    this.weights = weights;
    this.signers = signers;
    this.txCache = txCache;
    this.refuseRepeats = refuseRepeats;
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
    return checkTxs(block);
  }

  private String checkTxs(Block block) {
    BlockHeader h = block.getHeader();
    if (block.getTxsCount() > BLOCK_TXS_MAX) {
      return block.getTxsCount() + " transactions > " + BLOCK_TXS_MAX;
    }
    if (h.getTxCount() != block.getTxsCount()) {
      return "tx count " + h.getTxCount() + " but " + block.getTxsCount() + " transactions";
    }
    List<byte[]> hashes = new ArrayList<>(block.getTxsCount());
    Set<ByteString> seen = new HashSet<>();
    for (int i = 0; i < block.getTxsCount(); i++) {
      Transaction tx = block.getTxs(i);
      ByteString hash = txCache.hash(tx);
      hashes.add(hash.toByteArray());
      if (!seen.add(hash)) {
        return "tx " + i + " appears twice in the block";
      }
      Long committedAt = chainTxs.get(hash);
      if (committedAt != null && refuseRepeats) {
        return "tx " + i + " already in the chain at height " + committedAt;
      }
      String bad = checkTx(tx, h.getHeight());
      if (bad != null) {
        return "tx " + i + ": " + bad;
      }
    }
    if (!h.getTxRoot().equals(ByteString.copyFrom(MerkleTree.root(hashes)))) {
      return "tx root does not match the transactions";
    }
    return null;
  }

  /** Signature last: it is the expensive check. */
  private String checkTx(Transaction tx, long height) {
    if (!tx.getChainId().equals(chainId)) {
      return "chain id";
    }
    if (!signers.contains(tx.getSigner())) {
      return "unknown signer";
    }
    if (!tx.getPayload().hasAccessLog()) {
      return "payload is not an access log";
    }
    if (height > tx.getExpiryHeight()) {
      return "expired at height " + tx.getExpiryHeight();
    }
    if (!txCache.signatureValid(tx)) {
      return "bad signature";
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
