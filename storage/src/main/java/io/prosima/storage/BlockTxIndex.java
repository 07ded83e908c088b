package io.prosima.storage;

import io.prosima.proto.v1.BlockHeader;
import io.prosima.proto.v1.CommitCertificate;
import java.util.List;

/**
 * What a transaction's inclusion proof needs from its committed block, without the block's
 * transactions: the header, the commit certificate and the hash of each transaction in block order
 * (32 bytes each, {@code TxCodec.hash}, the leaves of the header's tx root).
 */
public record BlockTxIndex(BlockHeader header, CommitCertificate commit, List<byte[]> txHashes) {
  public BlockTxIndex {
    txHashes = List.copyOf(txHashes);
  }
}
