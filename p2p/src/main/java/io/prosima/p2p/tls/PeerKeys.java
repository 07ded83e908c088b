package io.prosima.p2p.tls;

import com.google.protobuf.ByteString;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** The Ed25519 key a TLS peer proved it holds. */
public final class PeerKeys {
  private PeerKeys() {}

  public static ByteString fromSession(SSLSession session) throws SSLPeerUnverifiedException {
    Certificate[] certs = session.getPeerCertificates();
    if (certs.length != 1 || !(certs[0] instanceof X509Certificate cert)) {
      return null;
    }
    return KeyCertificates.rawEd25519Key(cert);
  }
}
