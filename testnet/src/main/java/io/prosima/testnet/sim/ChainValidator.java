package io.prosima.testnet.sim;

import com.google.protobuf.ByteString;
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
 * The checkers' own notion of a valid block, written apart from the ledger's rules so that a bug
 * there cannot hide itself: chain id, next height, previous-hash link, time after the parent
 * (unsigned), a validator as proposer; at most {@link #BLOCK_TXS_MAX} transactions, matching the
 * header's count and RFC 6962 root over their hashes, none already in the chain or twice in the
 * block, each well-formed (chain id, a client anchoring an image or a validator recording evidence,
 * not expired, valid signature). The nodes never use it: they run the ledger's validator.
 */
final class ChainValidator {
  /** The genesis block limit of the simulated chain. */
  static final int BLOCK_TXS_MAX = io.prosima.genesis.GenesisBuilder.DEFAULT_BLOCK_TXS_MAX;

  private final String chainId;
  private final List<CommittedBlock> chain;
  private final Map<ByteString, Long> chainTxs;
  private final Map<ByteString, Long> weights;
  private final Set<ByteString> signers;
  private final TxCache txCache;

  /**
   * @param chainTxs height of every transaction in {@code chain}, by tx hash
   * @param signers the client identities (validators sign only evidence)
   */
  ChainValidator(
      String chainId,
      List<CommittedBlock> chain,
      Map<ByteString, Long> chainTxs,
      Map<ByteString, Long> weights,
      Set<ByteString> signers,
      TxCache txCache) {
    this.chainId = chainId;
    this.chain = chain;
    this.chainTxs = chainTxs;
    this.weights = weights;
    this.signers = signers;
    this.txCache = txCache;
  }

  String check(Block block) {
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
    if (Long.compareUnsigned(h.getTimeMs(), parentTime) <= 0) {
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
      if (committedAt != null) {
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
    if (signers.contains(tx.getSigner())) {
      if (!tx.getPayload().hasImageAnchor()) {
        return "client payload is not an image anchor";
      }
    } else if (weights.containsKey(tx.getSigner())) {
      if (!tx.getPayload().hasEquivocationEvidence() && !tx.getPayload().hasValidatorChange()) {
        return "validator payload is neither evidence nor a validator change";
      }
    } else {
      return "unknown signer";
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
