package io.prosima.node.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.prosima.node.backup.BackupException;
import io.prosima.proto.v1.NodeAdminGrpc;
import io.prosima.proto.v1.NodeBackupRequest;
import io.prosima.proto.v1.NodeBackupResponse;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code NodeAdmin}: operator calls, answered only for the node's own key. */
public final class NodeAdminService extends NodeAdminGrpc.NodeAdminImplBase {
  private static final Logger log = LoggerFactory.getLogger(NodeAdminService.class);

  /** Writes a backup into the node's backups directory. */
  public interface Backups {
    /** The file written and the height it holds. */
    Written backup() throws BackupException, IOException;
  }

  /** A backup file the node wrote. */
  public record Written(Path path, long height) {}

  private final ByteString nodeKey;
  private final Backups backups;

  public NodeAdminService(ByteString nodeKey, Backups backups) {
    this.nodeKey = nodeKey;
    this.backups = backups;
  }

  @Override
  public void backup(NodeBackupRequest request, StreamObserver<NodeBackupResponse> out) {
    if (!PeerIdentityInterceptor.caller().equals(nodeKey)) {
      out.onError(
          Status.PERMISSION_DENIED
              .withDescription("only this node's own key may call NodeAdmin")
              .asRuntimeException());
      return;
    }
    try {
      Written w = backups.backup();
      log.info("backup at height {} written to {}", w.height(), w.path());
      out.onNext(
          NodeBackupResponse.newBuilder()
              .setPath(w.path().toAbsolutePath().toString())
              .setHeight(w.height())
              .build());
      out.onCompleted();
    } catch (BackupException | IOException e) {
      log.warn("backup refused: {}", e.getMessage());
      out.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
    }
  }
}
