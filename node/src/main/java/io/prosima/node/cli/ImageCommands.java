package io.prosima.node.cli;

import io.grpc.Status;
import io.prosima.node.image.ImageHistory;
import io.prosima.proto.v1.Validator;

/** Shared steps of the image commands. */
final class ImageCommands {
  private ImageCommands() {}

  /**
   * The image's verified history, from the session's node, or from another validator when that one
   * is unreachable (a retrieval must work with validators down).
   */
  static ImageHistory history(ImageSession session, String imageId) {
    ImageHistory.HistoryException last = null;
    try {
      return ImageHistory.read(session.via, session.nodes, imageId);
    } catch (ImageHistory.HistoryException e) {
      if (e.code() != Status.Code.UNAVAILABLE && e.code() != Status.Code.DEADLINE_EXCEEDED) {
        throw new CliException(e.getMessage(), e);
      }
      last = e;
    }
    for (Validator v : session.genesis.getValidatorsList()) {
      try {
        return ImageHistory.read(session.nodes.client(v.getPublicKey()), session.nodes, imageId);
      } catch (ImageHistory.HistoryException e) {
        if (e.code() != Status.Code.UNAVAILABLE && e.code() != Status.Code.DEADLINE_EXCEEDED) {
          throw new CliException(e.getMessage(), e);
        }
        last = e;
      }
    }
    throw new CliException("no validator answered: " + last.getMessage(), last);
  }
}
