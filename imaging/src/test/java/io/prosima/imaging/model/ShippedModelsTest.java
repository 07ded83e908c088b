package io.prosima.imaging.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.io.PngImages;
import io.prosima.imaging.metrics.ImageMetrics;
import io.prosima.imaging.testsupport.SharedData;
import io.prosima.imaging.train.Corruptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The models shipped under imaging/models: hashes match the card, and they denoise a slice. */
class ShippedModelsTest {
  static final Path MODELS = Path.of("models");
  static final Path SLICE = SharedData.resolve("mri/human-t1-axial/ch2better_ax_135.png");

  static Properties summary() throws IOException {
    Properties p = new Properties();
    try (var in = Files.newInputStream(MODELS.resolve("training.properties"))) {
      p.load(in);
    }
    return p;
  }

  @Test
  void trainingCanStartFromTheShippedModelsThoughEHasNoWeights() throws Exception {
    // Federated rounds and fine-tuning read both directories back into named arrays.
    assertTrue(SavedModelWeights.read(MODELS.resolve("encoder"), "e/").isEmpty());
    var g = SavedModelWeights.read(MODELS.resolve("generator"), "g/");
    long expected =
        SavedModelWeights.shapes().keySet().stream().filter(k -> k.startsWith("g/")).count();
    assertEquals(expected, g.size());
    assertTrue(g.values().stream().allMatch(w -> w.length > 0));
  }

  @Test
  void theShippedWeightsHaveTheHashesRecordedAtTraining() throws Exception {
    Properties p = summary();
    HexFormat hex = HexFormat.of();
    AnchoredModel.verify(
        MODELS.resolve("encoder"), hex.parseHex(p.getProperty("encoder_weights_sha256")));
    AnchoredModel.verify(
        MODELS.resolve("generator"), hex.parseHex(p.getProperty("generator_weights_sha256")));
  }

  @Test
  void aModelWhoseWeightsChangedIsRefused(@TempDir Path tmp) throws Exception {
    // G has variables; E (block means) has none, so its graph file is what a change would touch.
    Path copy = tmp.resolve("generator");
    copyTree(MODELS.resolve("generator"), copy);
    byte[] expected = AnchoredModel.weightsSha256(copy);
    Path data;
    try (Stream<Path> files = Files.list(copy.resolve("variables"))) {
      data =
          files
              .filter(f -> f.getFileName().toString().startsWith("variables.data"))
              .findFirst()
              .orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(data);
    bytes[bytes.length / 2] ^= 1;
    Files.write(data, bytes);
    ModelHashMismatchException e =
        assertThrows(ModelHashMismatchException.class, () -> AnchoredModel.verify(copy, expected));
    assertTrue(e.getMessage().contains("refusing to load"), e.getMessage());

    Path encoder = tmp.resolve("encoder");
    copyTree(MODELS.resolve("encoder"), encoder);
    byte[] encoderHash = AnchoredModel.weightsSha256(encoder);
    Path pb = encoder.resolve("saved_model.pb");
    byte[] graph = Files.readAllBytes(pb);
    graph[graph.length - 1] ^= 1;
    Files.write(pb, graph);
    assertThrows(
        ModelHashMismatchException.class, () -> AnchoredModel.verify(encoder, encoderHash));
  }

  @Test
  void reconstructingANoisySliceWithTheShippedModelsBeatsTheNoisyInput(@TempDir Path tmp)
      throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(SLICE), "no shared data");
    GrayImage clean = PngImages.read(SLICE);
    GrayImage noisy =
        new GrayImage(256, 256, Corruptions.gaussian(clean.pixels(), 0.05, new Random(1)))
            .clippedToUnit();
    Path in = tmp.resolve("noisy.png");
    Path out = tmp.resolve("out.png");
    PngImages.write16(noisy, in);
    try (ImageReconstructor model = ImageReconstructor.load(MODELS)) {
      Reconstruction.Summary s = Reconstruction.reconstructFile(model, in, out, 2, -1);
      assertEquals(16, s.tiles());
    }
    GrayImage result = PngImages.read(out);
    double before = ImageMetrics.psnr(PngImages.read(in).pixels(), clean.pixels());
    double after = ImageMetrics.psnr(result.pixels(), clean.pixels());
    assertTrue(after > before + 3, "PSNR " + before + " -> " + after);
  }

  @Test
  void reconstructionCanUseLatentsSavedFromTheCleanImage(@TempDir Path tmp) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(SLICE), "no shared data");
    Path z = tmp.resolve("z.txt");
    Path ignored = tmp.resolve("clean-out.png");
    GrayImage clean = PngImages.read(SLICE);
    GrayImage noisy =
        new GrayImage(256, 256, Corruptions.gaussian(clean.pixels(), 0.05, new Random(2)))
            .clippedToUnit();
    Path in = tmp.resolve("noisy.png");
    Path out = tmp.resolve("out.png");
    PngImages.write16(noisy, in);
    try (ImageReconstructor model = ImageReconstructor.load(MODELS)) {
      Reconstruction.reconstructFile(model, SLICE, ignored, 2, -1, null, z);
      assertEquals(16, io.prosima.imaging.tiling.LatentsFile.read(z).size());
      Reconstruction.reconstructFile(model, in, out, 2, -1, z, null);
    }
    double after = ImageMetrics.psnr(PngImages.read(out).pixels(), clean.pixels());
    double before = ImageMetrics.psnr(noisy.pixels(), clean.pixels());
    assertTrue(after > before + 3, "PSNR " + before + " -> " + after);
  }

  @Test
  void theServiceCompletesAQueuedReconstruction() throws Exception {
    GrayImage img = new GrayImage(256, 256, new float[256 * 256]);
    try (ImageReconstructor model = ImageReconstructor.load(MODELS);
        ReconstructionService service = new ReconstructionService(model)) {
      var latents = model.latents(img);
      GrayImage out = service.submit(img, latents).get();
      assertEquals(256, out.width());
      assertEquals(256, out.height());
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
