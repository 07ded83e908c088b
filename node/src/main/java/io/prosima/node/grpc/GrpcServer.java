package io.prosima.node.grpc;

import com.google.protobuf.ByteString;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.prosima.node.NodeConfig;
import io.prosima.node.ledger.LedgerCore;
import io.prosima.node.ledger.TxAdmission;
import io.prosima.node.tls.TlsContexts;
import io.prosima.proto.v1.KeyFile;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The node's gRPC endpoint: ledger queries, submission, fragments, health and reflection, all over
 * mTLS.
 */
public final class GrpcServer implements AutoCloseable {
  /** Largest request or response message; a full block must fit. */
  public static final int MESSAGE_BYTES_MAX = 96 << 20;

  private final Server server;
  private final ExecutorService streamThreads;
  private final HealthStatusManager health = new HealthStatusManager();

  public GrpcServer(
      InetSocketAddress listen,
      KeyFile nodeKey,
      Predicate<ByteString> allowedClients,
      LedgerCore core,
      TxAdmission admission,
      BindableService fragments,
      NodeConfig config)
      throws IOException, GeneralSecurityException {
    this.streamThreads = Executors.newCachedThreadPool(daemon("block-stream"));
    PeerIdentityInterceptor identity = new PeerIdentityInterceptor();
    var query =
        new LedgerQueryService(
            core, nodeKey.getEd25519PublicKey(), streamThreads, config.blockSubscribersMax());
    var submit =
        new TxSubmitService(
            admission, core.hub(), config.submitBatchTxsMax(), config.commitWaitMs());
    this.server =
        NettyServerBuilder.forAddress(listen)
            .sslContext(TlsContexts.server(nodeKey, allowedClients))
            .maxInboundMessageSize(MESSAGE_BYTES_MAX)
            .addService(ServerInterceptors.intercept(query, identity))
            .addService(ServerInterceptors.intercept(submit, identity))
            .addService(ServerInterceptors.intercept(fragments, identity))
            .addService(ServerInterceptors.intercept(health.getHealthService(), identity))
            .addService(
                ServerInterceptors.intercept(ProtoReflectionService.newInstance(), identity))
            .build()
            .start();
  }

  /** Tells health checks this node no longer serves (it is stopping on a fatal error). */
  public void notServing() {
    health.setStatus("", io.grpc.health.v1.HealthCheckResponse.ServingStatus.NOT_SERVING);
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    streamThreads.shutdownNow();
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
