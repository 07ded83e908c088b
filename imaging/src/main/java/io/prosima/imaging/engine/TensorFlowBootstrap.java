package io.prosima.imaging.engine;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Loads DJL's TensorFlow engine without network access.
 *
 * <p>DJL 0.28 normally downloads TensorFlow 2.10.1 at first use. Hospitals and CI have no internet,
 * so the native CPU build is taken from {@code
 * org.tensorflow:tensorflow-core-api:0.5.0:linux-x86_64} (on the class path), unpacked once to
 * {@code $PROSIMA_CACHE/tensorflow-2.10.1/} (default {@code ~/.cache/prosima}), and DJL is pointed
 * at it with {@code TENSORFLOW_LIBRARY_PATH} and {@code ai.djl.offline=true}. Each file is written
 * to a temporary name, its size checked against the jar entry, then renamed, so a crash never
 * leaves a half-written library under the final name.
 */
public final class TensorFlowBootstrap {
  /** The TensorFlow version DJL 0.28's engine expects. */
  public static final String TENSORFLOW_VERSION = "2.10.1";

  static final String RESOURCE_DIR = "org/tensorflow/internal/c_api/linux-x86_64/";
  static final List<String> LIBRARIES =
      List.of("libtensorflow_framework.so.2", "libtensorflow_cc.so.2", "libjnitensorflow.so");

  private static Path loadedFrom;

  private TensorFlowBootstrap() {}

  /** The cache directory for unpacked native libraries. */
  public static Path cacheDir() {
    String base = System.getProperty("prosima.cache");
    if (base == null || base.isBlank()) {
      base = System.getenv("PROSIMA_CACHE");
    }
    Path root =
        base == null || base.isBlank()
            ? Path.of(System.getProperty("user.home"), ".cache", "prosima")
            : Path.of(base);
    return root.resolve("tensorflow-" + TENSORFLOW_VERSION);
  }

  /**
   * Unpacks the native libraries if needed, configures DJL for offline use and loads the engine.
   * Idempotent and thread-safe.
   *
   * @return the directory the native libraries were loaded from
   * @throws EngineUnavailableException with a one-line reason when the engine cannot load
   */
  public static synchronized Path ensureLoaded() throws EngineUnavailableException {
    if (loadedFrom != null) {
      return loadedFrom;
    }
    String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
    String arch = System.getProperty("os.arch", "");
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new EngineUnavailableException(
          "TensorFlow engine unavailable: only linux-x86_64 is supported, this is "
              + os
              + "/"
              + arch,
          null);
    }
    Path dir = cacheDir();
    try {
      unpack(dir);
    } catch (IOException e) {
      throw new EngineUnavailableException(
          "TensorFlow engine unavailable: cannot unpack native libraries to "
              + dir
              + ": "
              + e.getMessage(),
          e);
    }
    System.setProperty("ai.djl.offline", "true");
    // DJL probes for CUDA on every load and logs a warning on CPU-only machines; it is noise here.
    if (System.getProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda", "error");
    }
    System.setProperty("TENSORFLOW_LIBRARY_PATH", dir.toString());
    try {
      Engine engine = Engine.getEngine("TensorFlow");
      if (!TENSORFLOW_VERSION.equals(engine.getVersion())) {
        throw new EngineUnavailableException(
            "TensorFlow engine unavailable: expected version "
                + TENSORFLOW_VERSION
                + " but DJL reports "
                + engine.getVersion(),
            null);
      }
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw new EngineUnavailableException(
          "TensorFlow engine unavailable: loading native libraries from " + dir + " failed: " + e,
          e);
    }
    loadedFrom = dir;
    return dir;
  }

  static void unpack(Path dir) throws IOException {
    unpack(dir, LIBRARIES);
  }

  static void unpack(Path dir, List<String> names) throws IOException {
    Files.createDirectories(dir);
    for (String name : names) {
      URL url = TensorFlowBootstrap.class.getClassLoader().getResource(RESOURCE_DIR + name);
      if (url == null) {
        throw new IOException(
            name
                + " is not on the class path (add org.tensorflow:tensorflow-core-api:0.5.0"
                + " classifier linux-x86_64)");
      }
      URLConnection connection = url.openConnection();
      long expectedBytes = connection.getContentLengthLong();
      Path target = dir.resolve(name);
      if (Files.isRegularFile(target) && Files.size(target) == expectedBytes) {
        continue;
      }
      Path temp = Files.createTempFile(dir, name, ".part");
      try {
        try (InputStream in = connection.getInputStream()) {
          Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
        }
        long written = Files.size(temp);
        if (expectedBytes >= 0 && written != expectedBytes) {
          throw new IOException(
              name + ": wrote " + written + " bytes but the jar entry has " + expectedBytes);
        }
        try {
          Files.move(
              temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    }
  }
}
