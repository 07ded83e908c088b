package io.prosima.p2p.tls;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.KeyFile;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Date;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TLS certificates bound to identity keys: each node and client presents a self-signed X.509
 * certificate for its genesis Ed25519 key. Trust comes from genesis (the key must be listed), not
 * from a certificate authority.
 */
public final class KeyCertificates {
  /** Certificates are made fresh at every start; this bounds how long one stays valid. */
  static final long CERT_VALIDITY_MS = 365L * 24 * 3600 * 1000;

  private static final AlgorithmIdentifier ED25519 =
      new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519);
  private static final int RAW_KEY_BYTES = 32;

  private KeyCertificates() {}

  public static PrivateKey privateKey(KeyFile key) throws GeneralSecurityException {
    try {
      byte[] pkcs8 =
          new PrivateKeyInfo(ED25519, new DEROctetString(key.getEd25519PrivateKey().toByteArray()))
              .getEncoded();
      return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException("cannot encode the Ed25519 private key", e);
    }
  }

  public static PublicKey publicKey(ByteString raw) throws GeneralSecurityException {
    try {
      byte[] spki = new SubjectPublicKeyInfo(ED25519, raw.toByteArray()).getEncoded();
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException("cannot encode the Ed25519 public key", e);
    }
  }

  /** A self-signed certificate for the key file's Ed25519 key. */
  public static X509Certificate selfSigned(KeyFile key) throws GeneralSecurityException {
    X500Name name = new X500Name("CN=" + key.getName() + ",O=prosima");
    long now = System.currentTimeMillis();
    try {
      var builder =
          new JcaX509v3CertificateBuilder(
              name,
              BigInteger.valueOf(now),
              new Date(now - 3_600_000),
              new Date(now + CERT_VALIDITY_MS),
              name,
              publicKey(key.getEd25519PublicKey()));
      var signer = new JcaContentSignerBuilder("Ed25519").build(privateKey(key));
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign the TLS certificate", e);
    }
  }

  /** The raw 32-byte Ed25519 key in a certificate, or null if it holds another kind of key. */
  static ByteString rawEd25519Key(X509Certificate cert) {
    byte[] spki = cert.getPublicKey().getEncoded();
    try {
      SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(spki);
      if (!info.getAlgorithm().equals(ED25519)) {
        return null;
      }
      byte[] raw = info.getPublicKeyData().getOctets();
      return raw.length == RAW_KEY_BYTES ? ByteString.copyFrom(raw) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static boolean sameKey(ByteString a, byte[] b) {
    return Arrays.equals(a.toByteArray(), b);
  }
}
