package io.prosima.p2p.tls;

import com.google.protobuf.ByteString;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly the self-signed certificates whose Ed25519 key the predicate accepts (a genesis
 * identity). Host names play no part: identity is the key, checked against genesis. Being an
 * X509ExtendedTrustManager, the JDK does not add its own host name check on top.
 */
public final class GenesisKeyTrustManager extends X509ExtendedTrustManager {
  private final Predicate<ByteString> allowed;
  private final String what;

  /**
   * @param allowed which Ed25519 keys may connect
   * @param what who the peer should be, for error messages ("validator", "chain identity")
   */
  public GenesisKeyTrustManager(Predicate<ByteString> allowed, String what) {
    this.allowed = allowed;
    this.what = what;
  }

  private void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length != 1) {
      throw new CertificateException("peer must present exactly one self-signed certificate");
    }
    X509Certificate cert = chain[0];
    cert.checkValidity();
    ByteString key = KeyCertificates.rawEd25519Key(cert);
    if (key == null) {
      throw new CertificateException("peer certificate does not hold an Ed25519 key");
    }
    try {
      cert.verify(cert.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new CertificateException("peer certificate is not signed by its own key");
    }
    if (!allowed.test(key)) {
      // The public key's first bytes name who answered; nothing secret is in a certificate.
      throw new CertificateException(
          "its certificate is for key "
              + java.util.HexFormat.of().formatHex(key.substring(0, 4).toByteArray())
              + ", which is not a "
              + what
              + " of this chain's genesis");
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
