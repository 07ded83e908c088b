package io.prosima.node.fragments;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.StorageReceipt;
import io.prosima.proto.wire.ReceiptCodec;
import io.prosima.storage.Fragment;

/** Signs storage receipts with this validator's key, only for fragments already synced to disk. */
final class ReceiptSigner {
  private final String chainId;
  private final ByteString node;
  private final byte[] privateKey;
  private final byte[] publicKey;

  ReceiptSigner(String chainId, KeyFile nodeKey) {
    this.chainId = chainId;
    this.node = nodeKey.getEd25519PublicKey();
    this.privateKey = nodeKey.getEd25519PrivateKey().toByteArray();
    this.publicKey = nodeKey.getEd25519PublicKey().toByteArray();
  }

  StorageReceipt sign(Fragment stored) {
    StorageReceipt receipt =
        StorageReceipt.newBuilder()
            .setChainId(chainId)
            .setNode(node)
            .setUploader(stored.uploader())
            .setImageId(stored.id().imageId())
            .setKeyEpoch(stored.id().keyEpoch())
            .setTileIndex(stored.id().tileIndex())
            .setFragmentIndex(stored.id().fragmentIndex())
            .setFragmentSha256(stored.sha256())
            .build();
    return ReceiptCodec.sign(receipt, privateKey, publicKey);
  }
}
