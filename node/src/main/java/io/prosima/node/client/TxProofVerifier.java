package io.prosima.node.client;

import com.google.protobuf.ByteString;
import io.prosima.genesis.ValidatorSet;
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
 * weight signed that header.
 */
public final class TxProofVerifier {
  private TxProofVerifier() {}

  /** Null when the proof holds, otherwise what failed. */
  public static String check(TxResponse r, Genesis genesis) {
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
    Map<ByteString, Long> weights = new ValidatorSet(genesis).weights();
    String commitProblem =
        BlockCodec.checkCommit(genesis.getChainId(), blockId, r.getCommit(), weights);
    return commitProblem == null ? null : "commit certificate: " + commitProblem;
  }
}
