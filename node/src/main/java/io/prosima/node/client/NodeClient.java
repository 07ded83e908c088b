package io.prosima.node.client;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.prosima.node.tls.TlsContexts;
import io.prosima.proto.v1.FragmentServiceGrpc;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.LedgerQueryGrpc;
import io.prosima.proto.v1.TxSubmitGrpc;
import java.security.GeneralSecurityException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * A gRPC connection to a node, authenticated both ways: we present our identity key, and accept the
 * server only if it holds a genesis validator key.
 */
public final class NodeClient implements AutoCloseable {
  public static final int MESSAGE_BYTES_MAX = 96 << 20;

  private final ManagedChannel channel;

  public NodeClient(String hostPort, KeyFile key, Genesis genesis)
      throws GeneralSecurityException, SSLException {
    this(hostPort, key, genesisValidators(genesis));
  }

  /**
   * A client of a node whose key is one of {@code validators} (say, a validator that joined after
   * genesis: the caller learned its key from the validator sets on chain).
   */
  public NodeClient(String hostPort, KeyFile key, Set<ByteString> validators)
      throws GeneralSecurityException, SSLException {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("node address must be host:port, got '" + hostPort + "'");
    }
    this.channel =
        NettyChannelBuilder.forAddress(
                hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)))
            .sslContext(TlsContexts.client(key, Set.copyOf(validators)::contains))
            .maxInboundMessageSize(MESSAGE_BYTES_MAX)
            .build();
  }

  private static Set<ByteString> genesisValidators(Genesis genesis) {
    Set<ByteString> validators = new HashSet<>();
    genesis.getValidatorsList().forEach(v -> validators.add(v.getPublicKey()));
    return validators;
  }

  public LedgerQueryGrpc.LedgerQueryBlockingStub query() {
    return LedgerQueryGrpc.newBlockingStub(channel);
  }

  public LedgerQueryGrpc.LedgerQueryStub queryAsync() {
    return LedgerQueryGrpc.newStub(channel);
  }

  public FragmentServiceGrpc.FragmentServiceBlockingStub fragments() {
    return FragmentServiceGrpc.newBlockingStub(channel);
  }

  public TxSubmitGrpc.TxSubmitBlockingStub submit() {
    return TxSubmitGrpc.newBlockingStub(channel);
  }

  public TxSubmitGrpc.TxSubmitFutureStub submitAsync() {
    return TxSubmitGrpc.newFutureStub(channel);
  }

  public io.prosima.proto.v1.NodeAdminGrpc.NodeAdminBlockingStub admin() {
    return io.prosima.proto.v1.NodeAdminGrpc.newBlockingStub(channel);
  }

  public ManagedChannel channel() {
    return channel;
  }

  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
