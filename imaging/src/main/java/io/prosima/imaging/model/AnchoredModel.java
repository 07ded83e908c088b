package io.prosima.imaging.model;

import io.prosima.proto.wire.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The weight hash of a SavedModel directory and the guard that refuses to run a model whose hash is
 * not the anchored one (a node runs only models whose weight hash is on chain).
 *
 * <p>Weights hash: SHA-256 over {@code saved_model.pb} and every file under {@code variables/}, in
 * order of their relative path (with '/' separators, byte order); each file contributes its path
 * (UTF-8), a zero byte, its length as u64 big-endian and its bytes. Other files (model card,
 * summaries) are not part of the hash, so documentation can change without re-anchoring.
 */
public final class AnchoredModel {
  /** Largest model file hashed; bigger means something is wrong with the directory. */
  public static final long MODEL_FILE_BYTES_MAX = 1L << 30;

  private AnchoredModel() {}

  public static byte[] weightsSha256(Path modelDir) throws IOException {
    Path pb = modelDir.resolve("saved_model.pb");
    Path vars = modelDir.resolve("variables");
    if (!Files.isRegularFile(pb)) {
      throw new IOException(modelDir + " is not a SavedModel directory (no saved_model.pb)");
    }
    List<String> names = new ArrayList<>();
    names.add("saved_model.pb");
    // A graph without variables (E, the block-mean operator) has an empty variables/, which git
    // does not keep: absent and empty hash the same.
    if (Files.isDirectory(vars)) {
      try (Stream<Path> files = Files.walk(vars)) {
        files
            .filter(Files::isRegularFile)
            .forEach(p -> names.add(modelDir.relativize(p).toString().replace('\\', '/')));
      }
    }
    names.sort(null);
    MessageDigest md = Sha256.digest();
    byte[] buffer = new byte[1 << 16];
    for (String name : names) {
      Path file = modelDir.resolve(name);
      long size = Files.size(file);
      if (size > MODEL_FILE_BYTES_MAX) {
        throw new IOException(file + " is larger than " + MODEL_FILE_BYTES_MAX + " bytes");
      }
      md.update(name.getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(ByteBuffer.allocate(8).putLong(size).array());
      try (InputStream in = Files.newInputStream(file)) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          md.update(buffer, 0, n);
        }
      }
    }
    return md.digest();
  }

  /**
   * Checks that {@code modelDir}'s weights hash equals {@code expectedSha256} and returns the
   * directory; throws {@link ModelHashMismatchException} naming both hashes otherwise.
   */
  public static Path verify(Path modelDir, byte[] expectedSha256) throws IOException {
    if (expectedSha256 == null || expectedSha256.length != Sha256.BYTES) {
      throw new IllegalArgumentException("expected hash must be 32 bytes");
    }
    byte[] actual = weightsSha256(modelDir);
    if (!MessageDigest.isEqual(actual, expectedSha256)) {
      HexFormat hex = HexFormat.of();
      throw new ModelHashMismatchException(
          modelDir
              + ": weights SHA-256 "
              + hex.formatHex(actual)
              + " is not the anchored "
              + hex.formatHex(expectedSha256)
              + "; refusing to load");
    }
    return modelDir;
  }
}
