package io.prosima.p2p;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.prosima.p2p.tls.GenesisKeyTrustManager;
import io.prosima.p2p.tls.KeyCertificates;
import io.prosima.proto.v1.KeyFile;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/**
 * Mutual TLS 1.3 contexts for the overlay: we present a self-signed certificate for our genesis key
 * and trust only certificates of our overlay neighbours' keys. JDK provider: it speaks Ed25519 in
 * TLS 1.3 with no native library (BoringSSL refused Ed25519 certificates).
 */
final class PeerTls {
  private static final String TLS_13 = "TLSv1.3";
  private static final String WHAT = "p2p neighbour";

  final SslContext server;
  final SslContext client;

  private PeerTls(SslContext server, SslContext client) {
    this.server = server;
    this.client = client;
  }

  /**
   * @param neighbours whether a key is an overlay neighbour now (asked at each handshake: the
   *     overlay changes with the validator set)
   */
  static PeerTls create(
      KeyFile key, java.util.function.Predicate<com.google.protobuf.ByteString> neighbours)
      throws GeneralSecurityException, SSLException {
    PrivateKey privateKey = KeyCertificates.privateKey(key);
    X509Certificate cert = KeyCertificates.selfSigned(key);
    SslContext server =
        SslContextBuilder.forServer(privateKey, cert)
            .trustManager(new GenesisKeyTrustManager(neighbours, WHAT))
            .clientAuth(ClientAuth.REQUIRE)
            .protocols(TLS_13)
            .sslProvider(SslProvider.JDK)
            .build();
    SslContext client =
        SslContextBuilder.forClient()
            .keyManager(privateKey, cert)
            .trustManager(new GenesisKeyTrustManager(neighbours, WHAT))
            .protocols(TLS_13)
            .sslProvider(SslProvider.JDK)
            .build();
    return new PeerTls(server, client);
  }
}
