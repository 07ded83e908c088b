package io.prosima.proto.wire;

import io.prosima.proto.v1.BlockHeader;
import io.prosima.proto.v1.MerkleProof;
import io.prosima.proto.v1.Transaction;

/** Offline check that a transaction is included in a block header. */
public final class TxProofs {
  private TxProofs() {}

  /**
   * True when {@code tx} is leaf {@code proof.leaf_index} of the header's tx Merkle tree. The
   * proof's leaf count must equal the header's tx count: the Merkle root alone does not fix the
   * tree size (RFC 9162 authenticates it in the tree head, we do in the header).
   */
  public static boolean included(Transaction tx, MerkleProof proof, BlockHeader header) {
    if (proof.getLeafCount() != header.getTxCount()) {
      return false;
    }
    return MerkleTree.verify(header.getTxRoot().toByteArray(), TxCodec.hash(tx), proof);
  }
}
