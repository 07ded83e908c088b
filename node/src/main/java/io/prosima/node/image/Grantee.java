package io.prosima.node.image;

import com.google.protobuf.ByteString;
import io.prosima.genesis.GenesisException;
import io.prosima.genesis.KeyFiles;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.Identity;
import io.prosima.proto.v1.KeyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/** An identity a data key is wrapped for: its ledger key and its X25519 encryption key. */
public record Grantee(ByteString publicKey, ByteString encryptionKey, String name) {
  /**
   * A grantee named on the command line: a key file (only its public halves are used) or the hex
   * Ed25519 public key of a genesis client.
   */
  public static Grantee parse(String spec, Genesis genesis) {
    Path file = Path.of(spec);
    if (Files.isRegularFile(file)) {
      try {
        KeyFile k = KeyFiles.read(file);
        return new Grantee(k.getEd25519PublicKey(), k.getX25519PublicKey(), k.getName());
      } catch (GenesisException e) {
        throw new IllegalArgumentException("grantee key file: " + e.getMessage(), e);
      }
    }
    ByteString key;
    try {
      key = ByteString.copyFrom(HexFormat.of().parseHex(spec));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "grantee '" + spec + "' is neither a key file nor a hex public key");
    }
    for (Identity c : genesis.getClientsList()) {
      if (c.getPublicKey().equals(key)) {
        return new Grantee(c.getPublicKey(), c.getEncryptionKey(), c.getName());
      }
    }
    throw new IllegalArgumentException(
        "grantee " + spec + " is not a client in the genesis; pass its key file instead");
  }

  public static Grantee of(KeyFile key) {
    return new Grantee(key.getEd25519PublicKey(), key.getX25519PublicKey(), key.getName());
  }

  /** Finds a genesis client by Ed25519 key (for re-granting after a rekey). */
  public static java.util.Optional<Grantee> inGenesis(ByteString key, Genesis genesis) {
    return genesis.getClientsList().stream()
        .filter(c -> c.getPublicKey().equals(key))
        .findFirst()
        .map(c -> new Grantee(c.getPublicKey(), c.getEncryptionKey(), c.getName()));
  }
}
