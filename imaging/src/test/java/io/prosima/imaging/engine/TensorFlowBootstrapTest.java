package io.prosima.imaging.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorFlowBootstrapTest {
  @Test
  void theEngineLoadsOfflineFromTheUnpackedLibrariesAndRunsAnOp() throws Exception {
    Path dir = TensorFlowBootstrap.ensureLoaded();
    for (String lib : TensorFlowBootstrap.LIBRARIES) {
      assertTrue(Files.isRegularFile(dir.resolve(lib)), lib);
    }
    assertEquals("true", System.getProperty("ai.djl.offline"));
    Engine engine = Engine.getEngine("TensorFlow");
    assertEquals(TensorFlowBootstrap.TENSORFLOW_VERSION, engine.getVersion());
    try (NDManager manager = engine.newBaseManager()) {
      NDArray a = manager.create(new float[] {1f, 2f, 3f});
      NDArray b = manager.create(new float[] {10f, 20f, 30f});
      assertArrayEquals(new float[] {11f, 22f, 33f}, a.add(b).toFloatArray());
    }
  }

  @Test
  void unpackingTwiceKeepsCompleteFilesAndReplacesATruncatedOne(@TempDir Path tmp)
      throws Exception {
    TensorFlowBootstrap.unpack(tmp, List.of("libjnitensorflow.so"));
    Path jni = tmp.resolve("libjnitensorflow.so");
    long size = Files.size(jni);
    Files.write(jni, new byte[] {1, 2, 3});
    TensorFlowBootstrap.unpack(tmp, List.of("libjnitensorflow.so"));
    assertEquals(size, Files.size(jni));
    try (var files = Files.list(tmp)) {
      assertEquals(1, files.count(), "no temporary files are left behind");
    }
  }
}
