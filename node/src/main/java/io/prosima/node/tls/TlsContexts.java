package io.prosima.node.tls;

import com.google.protobuf.ByteString;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.prosima.p2p.tls.GenesisKeyTrustManager;
import io.prosima.p2p.tls.KeyCertificates;
import io.prosima.proto.v1.KeyFile;
import java.security.GeneralSecurityException;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;

/** Mutual TLS 1.3 contexts for gRPC, both sides authenticated by genesis keys. */
public final class TlsContexts {
  private static final String TLS_13 = "TLSv1.3";

  private TlsContexts() {}

  /** Server side: present our key's certificate, require a client certificate from genesis. */
  public static SslContext server(KeyFile key, Predicate<ByteString> allowedClients)
      throws GeneralSecurityException, SSLException {
    var builder =
        SslContextBuilder.forServer(
                KeyCertificates.privateKey(key), KeyCertificates.selfSigned(key))
            .trustManager(new GenesisKeyTrustManager(allowedClients, "registered identity"))
            .clientAuth(ClientAuth.REQUIRE)
            .protocols(TLS_13);
    // The JDK provider: it speaks Ed25519 in TLS 1.3 (JDK 15+) with no native library.
    return GrpcSslContexts.configure(builder, SslProvider.JDK).build();
  }

  /** Client side: present our key's certificate, accept only servers holding a genesis key. */
  public static SslContext client(KeyFile key, Predicate<ByteString> allowedServers)
      throws GeneralSecurityException, SSLException {
    var builder =
        SslContextBuilder.forClient()
            .keyManager(KeyCertificates.privateKey(key), KeyCertificates.selfSigned(key))
            .trustManager(new GenesisKeyTrustManager(allowedServers, "validator"))
            .protocols(TLS_13);
    return GrpcSslContexts.configure(builder, SslProvider.JDK).build();
  }
}
