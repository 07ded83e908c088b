package io.prosima.node.client;

import com.google.protobuf.ByteString;
import io.prosima.genesis.ValidatorSets;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.TxResponse;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.TxCodec;
import io.prosima.proto.wire.TxProofs;
import java.util.Arrays;
import java.util.Map;

/**
 * What an auditor checks offline, trusting only genesis: the transaction hashes to the claimed
 * hash, it sits in the header's tx Merkle tree, and validators holding more than 2/3 of the voting
 * weight of the set in force at its height signed that header. After validator changes the sets
 * come from {@link ValidatorSetFollower}, which checks each change the same way against the set
 * before it, from genesis on.
 */
public final class TxProofVerifier {
  private TxProofVerifier() {}

  /** Null when the proof holds against the genesis set, otherwise what failed. */
  public static String check(TxResponse r, Genesis genesis) {
    return check(r, genesis, ValidatorSets.genesisOnly(genesis));
  }

  /**
   * Null when the proof holds against the set {@code sets} has in force at the tx's height (sets
   * the caller verified, see {@link ValidatorSetFollower}), otherwise what failed.
   */
  public static String check(TxResponse r, Genesis genesis, ValidatorSets sets) {
    if (!Arrays.equals(TxCodec.hash(r.getTx()), r.getTxHash().toByteArray())) {
      return "transaction does not hash to tx_hash";
    }
    if (!r.getHeader().getChainId().equals(genesis.getChainId())) {
      return "header is from another chain";
    }
    if (r.getHeader().getHeight() != r.getHeight()) {
      return "header height differs from the claimed height";
    }
    if (!TxProofs.included(r.getTx(), r.getProof(), r.getHeader())) {
      return "Merkle inclusion proof does not lead to the header's tx root";
    }
    byte[] blockId = BlockCodec.blockId(r.getHeader());
    if (r.getCommit().getHeight() != r.getHeight()) {
      return "commit certificate is for another height";
    }
    Map<ByteString, Long> weights = sets.at(r.getHeight()).weights();
    String commitProblem =
        BlockCodec.checkCommit(genesis.getChainId(), blockId, r.getCommit(), weights);
    return commitProblem == null ? null : "commit certificate: " + commitProblem;
  }
}
