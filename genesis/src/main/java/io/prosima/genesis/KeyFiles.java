package io.prosima.genesis;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.wire.Ed25519Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Key files hold one identity's private keys (Ed25519 for signing, X25519 for key wrapping). They
 * are written with mode 0600 and refused when others can read them, like ssh does. Their contents
 * never appear in logs or error messages.
 */
public final class KeyFiles {
  public static final long KEY_FILE_BYTES_MAX = 64 << 10;

  private KeyFiles() {}

  public static void write(Path file, KeyFile key) throws IOException {
    String json = JsonFormat.printer().print(key) + "\n";
    AtomicFiles.write(file, json.getBytes(StandardCharsets.UTF_8), true);
  }

  /** Writes a new key file (mode 0600); refuses, changing nothing, when the file exists. */
  public static void writeNew(Path file, KeyFile key) throws IOException, GenesisException {
    String json = JsonFormat.printer().print(key) + "\n";
    try {
      AtomicFiles.writeNew(file, json.getBytes(StandardCharsets.UTF_8), true);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new GenesisException("key file " + file + " already exists; refusing to overwrite");
    }
  }

  public static KeyFile read(Path file) throws GenesisException {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (perms.contains(PosixFilePermission.GROUP_READ)
          || perms.contains(PosixFilePermission.OTHERS_READ)
          || perms.contains(PosixFilePermission.GROUP_WRITE)
          || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
        throw new GenesisException(
            "key file " + file + " is accessible by other users; run: chmod 600 " + file);
      }
      if (Files.size(file) > KEY_FILE_BYTES_MAX) {
        throw new GenesisException("key file " + file + " is too large to be a key file");
      }
      KeyFile.Builder builder = KeyFile.newBuilder();
      JsonFormat.parser().merge(Files.readString(file, StandardCharsets.UTF_8), builder);
      KeyFile key = builder.build();
      check(file, key);
      return key;
    } catch (InvalidProtocolBufferException e) {
      // The parser's message can quote file content, which here is secret: keep it out.
      throw new GenesisException("key file " + file + " is not a valid key file");
    } catch (IOException e) {
      throw new GenesisException("cannot read key file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void check(Path file, KeyFile key) throws GenesisException {
    byte[] sk = key.getEd25519PrivateKey().toByteArray();
    byte[] xsk = key.getX25519PrivateKey().toByteArray();
    if (sk.length != Ed25519Keys.PRIVATE_KEY_BYTES || xsk.length != X25519.SCALAR_SIZE) {
      throw new GenesisException("key file " + file + " has keys of the wrong length");
    }
    if (!Arrays.equals(Ed25519Keys.publicKey(sk), key.getEd25519PublicKey().toByteArray())) {
      throw new GenesisException(
          "key file " + file + ": Ed25519 public key does not match the private key");
    }
    byte[] xpk = new byte[X25519.POINT_SIZE];
    X25519.scalarMultBase(xsk, 0, xpk, 0);
    if (!Arrays.equals(xpk, key.getX25519PublicKey().toByteArray())) {
      throw new GenesisException(
          "key file " + file + ": X25519 public key does not match the private key");
    }
  }
}
