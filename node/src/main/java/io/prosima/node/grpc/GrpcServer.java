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
 * The node's gRPC endpoint: ledger queries, submission, fragments, node admin, health and
 * reflection, all over mTLS.
 */
public final class GrpcServer implements AutoCloseable {
  /**
   * Largest response message; a full block must fit. Clients accept this much (NodeClient); the
   * server does not accept requests this large.
   */
  public static final int MESSAGE_BYTES_MAX = 96 << 20;

  /**
   * Largest request message, for every call. Each connection may hold {@link
   * #CALLS_PER_CONNECTION_MAX} requests of this size in memory, so it is what a SubmitBatch of real
   * transactions needs, not what a block needs: 10,000 anchors are about 3 MiB. A batch of many
   * transactions near tx_bytes_max must be split by the client (it is refused whole with
   * RESOURCE_EXHAUSTED, never half-read). At start-up one transaction of tx_bytes_max must fit.
   */
  public static final int INBOUND_MESSAGE_BYTES_MAX = 16 << 20;

  /** Bytes a request may need around one transaction (message and field framing). */
  static final int REQUEST_FRAMING_BYTES_MAX = 1 << 10;

  /** Calls one connection may have open at once; more wait in the client (HTTP/2 streams). */
  public static final int CALLS_PER_CONNECTION_MAX = 128;

  /** The server pings an idle connection this often to find dead peers. */
  static final long KEEPALIVE_TIME_MS = 60_000;

  /** A keepalive ping unanswered this long closes the connection. */
  static final long KEEPALIVE_TIMEOUT_MS = 20_000;

  /** Clients may ping at most this often; faster pings are a misbehaving client. */
  static final long CLIENT_PING_INTERVAL_MS_MIN = 10_000;

  /**
   * A connection with no call for this long is closed, so abandoned connections do not pile up. No
   * maximum connection age: it would cut long SubscribeBlocks streams, which stay bounded by
   * LedgerQueryService's flow control instead.
   */
  static final long CONNECTION_IDLE_MS_MAX = 5 * 60_000;

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
      BindableService admin,
      NodeConfig config)
      throws IOException, GeneralSecurityException {
    long txBytesMax = core.genesis().getConsensus().getTxBytesMax();
    if (txBytesMax + REQUEST_FRAMING_BYTES_MAX > INBOUND_MESSAGE_BYTES_MAX) {
      throw new IllegalArgumentException(
          "genesis tx_bytes_max "
              + txBytesMax
              + " does not fit the gRPC request limit of "
              + INBOUND_MESSAGE_BYTES_MAX
              + " bytes");
    }
    this.streamThreads = Executors.newCachedThreadPool(daemon("block-stream"));
    PeerIdentityInterceptor identity = new PeerIdentityInterceptor();
    var query =
        new LedgerQueryService(
            core,
            nodeKey.getEd25519PublicKey(),
            streamThreads,
            config.blockSubscribersMax(),
            LedgerQueryService.STREAM_STALL_MS_MAX);
    var submit =
        new TxSubmitService(
            admission, core.hub(), config.submitBatchTxsMax(), config.commitWaitMs());
    this.server =
        NettyServerBuilder.forAddress(listen)
            .sslContext(TlsContexts.server(nodeKey, allowedClients))
            .maxInboundMessageSize(INBOUND_MESSAGE_BYTES_MAX)
            .maxConcurrentCallsPerConnection(CALLS_PER_CONNECTION_MAX)
            .keepAliveTime(KEEPALIVE_TIME_MS, TimeUnit.MILLISECONDS)
            .keepAliveTimeout(KEEPALIVE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .permitKeepAliveTime(CLIENT_PING_INTERVAL_MS_MIN, TimeUnit.MILLISECONDS)
            .maxConnectionIdle(CONNECTION_IDLE_MS_MAX, TimeUnit.MILLISECONDS)
            .addService(ServerInterceptors.intercept(query, identity))
            .addService(ServerInterceptors.intercept(submit, identity))
            .addService(ServerInterceptors.intercept(fragments, identity))
            .addService(ServerInterceptors.intercept(admin, identity))
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
