package io.prosima.node.image;

import io.prosima.node.client.NodeClient;
import io.prosima.proto.v1.AccessLog;
import io.prosima.proto.v1.Payload;

/** Small image transactions a command commits after its work (access logs). */
public final class ImageTxs {
  private ImageTxs() {}

  /** Commits an AccessLog of {@code action} on {@code imageId} by our identity. */
  public static void logAccess(ChainNodes nodes, NodeClient via, String imageId, String action)
      throws ChainTxs.TxFailedException {
    new ChainTxs(nodes)
        .commit(
            via,
            java.util.List.of(
                Payload.newBuilder()
                    .setAccessLog(AccessLog.newBuilder().setImageId(imageId).setAction(action))
                    .build()));
  }
}
