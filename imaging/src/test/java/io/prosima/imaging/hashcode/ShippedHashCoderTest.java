package io.prosima.imaging.hashcode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.io.PngImages;
import io.prosima.imaging.model.ImageReconstructor;
import io.prosima.imaging.testsupport.SharedData;
import io.prosima.proto.wire.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped E with the shipped projection: codes are stable, copies near, other slices far. */
class ShippedHashCoderTest {
  static final Path MODELS = Path.of("models");
  static final Path DIR = SharedData.resolve("mri/human-t1-axial");
  static ImageReconstructor e;
  static HashCoder coder;

  @BeforeAll
  static void load() throws Exception {
    e = ImageReconstructor.load(MODELS);
    coder = new HashCoder(e::embed, HashProjection.read(HashCoder.shippedFile(MODELS)));
  }

  @AfterAll
  static void close() {
    if (e != null) {
      e.close();
    }
  }

  static GrayImage slice(int index) throws Exception {
    Path p = DIR.resolve(String.format("ch2better_ax_%03d.png", index));
    assumeTrue(Files.isRegularFile(p), "shared data not found: " + p);
    return PngImages.read(p);
  }

  @Test
  void theShippedProjectionHasTheHashRecordedAtTraining() throws Exception {
    Properties p = new Properties();
    try (var in =
        Files.newInputStream(MODELS.resolve(HashCoder.DIR).resolve("training.properties"))) {
      p.load(in);
    }
    byte[] bytes = Files.readAllBytes(HashCoder.shippedFile(MODELS));
    assertEquals(p.getProperty("projection_sha256"), HexFormat.of().formatHex(Sha256.hash(bytes)));
  }

  @Test
  void theSameImageAlwaysGivesTheSame128BitCode() throws Exception {
    GrayImage s = slice(135);
    byte[] a = coder.code(s);
    assertEquals(16, a.length);
    assertArrayEquals(a, coder.code(s));
    assertArrayEquals(a, coder.code(new GrayImage(s.width(), s.height(), s.pixels())));
  }

  @Test
  void aTransformedCopyIsNearAndAnUnrelatedSliceFar() throws Exception {
    GrayImage s = slice(135);
    byte[] code = coder.code(s);
    Random r = new Random(135);
    int noisy = HashCoder.distance(code, coder.code(CopyTransform.noise(s, 0.02, r)));
    int shifted = HashCoder.distance(code, coder.code(CopyTransform.shift(s, 3, -2)));
    int cropped = HashCoder.distance(code, coder.code(CopyTransform.crop(s, 4, 3, 2, 5)));
    int other = HashCoder.distance(code, coder.code(slice(60)));
    assertTrue(shifted <= 2, "shifted copy at " + shifted + " bits");
    assertTrue(cropped <= NEAR_BITS_MAX, "cropped copy at " + cropped + " bits");
    assertTrue(noisy <= NEAR_BITS_MAX, "noisy copy at " + noisy + " bits");
    assertTrue(other >= FAR_BITS_MIN, "unrelated slice at " + other + " bits");
  }

  /** Thresholds with margin over the figures of `bench retrieval` (copies ~0-10, others ~40+). */
  static final int NEAR_BITS_MAX = 16;

  static final int FAR_BITS_MIN = 30;
}
