package io.prosima.genesis;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Role;
import io.prosima.proto.wire.Ed25519Keys;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/** Makes fresh identity keys: Ed25519 to sign, X25519 to receive wrapped image keys. */
public final class KeyGenerator {
  private KeyGenerator() {}

  public static KeyFile newKey(String name, Role role, boolean validator, SecureRandom random) {
    byte[] sk = Ed25519Keys.newPrivateKey(random);
    byte[] xsk = new byte[X25519.SCALAR_SIZE];
    X25519.generatePrivateKey(random, xsk);
    byte[] xpk = new byte[X25519.POINT_SIZE];
    X25519.generatePublicKey(xsk, 0, xpk, 0);
    return KeyFile.newBuilder()
        .setName(name)
        .setRole(role)
        .setValidator(validator)
        .setEd25519PrivateKey(ByteString.copyFrom(sk))
        .setEd25519PublicKey(ByteString.copyFrom(Ed25519Keys.publicKey(sk)))
        .setX25519PrivateKey(ByteString.copyFrom(xsk))
        .setX25519PublicKey(ByteString.copyFrom(xpk))
        .build();
  }
}
