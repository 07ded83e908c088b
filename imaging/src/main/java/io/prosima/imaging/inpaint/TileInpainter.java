package io.prosima.imaging.inpaint;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.prosima.imaging.engine.TensorFlowBootstrap;
import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.model.AnchoredModel;
import io.prosima.imaging.model.ImageReconstructor;
import io.prosima.imaging.model.ModelExport;
import io.prosima.imaging.model.Networks;
import io.prosima.imaging.tiling.QuantizedLatent;
import io.prosima.imaging.tiling.TileGrid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The inpainting G through DJL: rebuilds lost tiles from their neighbours and the tiles' latents z*
 * (issue 13). The lost tiles are harmonic-filled first ({@link LostTiles#harmonicPadded}), G
 * refines them given the mask and z*, and only the lost pixels of G's output are kept: every other
 * pixel is the input's, bit for bit.
 *
 * <p>The shipped model lives in {@code imaging/models/inpaint/generator} ({@link #DIR}); it pairs
 * with the shipped E, whose latents it was trained on. Methods are synchronized (DJL predictors are
 * not thread-safe).
 */
public final class TileInpainter implements AutoCloseable {
  /** Directory of the inpainting model under a models directory. */
  public static final String DIR = "inpaint";

  private final ZooModel<NDList, NDList> model;
  private final Predictor<NDList, NDList> predictor;

  private TileInpainter(ZooModel<NDList, NDList> model) {
    this.model = model;
    this.predictor = model.newPredictor();
  }

  /** The inpainting model directory ({@code inpaint/}) under a models directory. */
  public static Path dirUnder(Path modelsDir) {
    return modelsDir.resolve(DIR);
  }

  /** Loads {@code inpaintDir/generator} without checking its hash. */
  public static TileInpainter load(Path inpaintDir) throws IOException {
    return open(inpaintDir.resolve(ModelExport.GENERATOR_DIR));
  }

  /** Loads {@code inpaintDir/generator} only if its weights hash is {@code generatorSha256}. */
  public static TileInpainter loadAnchored(Path inpaintDir, byte[] generatorSha256)
      throws IOException {
    return open(
        AnchoredModel.verify(inpaintDir.resolve(ModelExport.GENERATOR_DIR), generatorSha256));
  }

  private static TileInpainter open(Path dir) throws IOException {
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      throw new IOException(dir + " is not a SavedModel directory (no saved_model.pb)");
    }
    TensorFlowBootstrap.ensureLoaded();
    Criteria<NDList, NDList> criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optModelPath(dir)
            .optEngine("TensorFlow")
            .optOption("SignatureDefKey", ModelExport.SIGNATURE)
            .build();
    try {
      return new TileInpainter(criteria.loadModel());
    } catch (ModelNotFoundException | MalformedModelException e) {
      throw new IOException("cannot load model " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Rebuilds the lost tiles conditioned on the anchored latents z* (one per tile of the grid). */
  public GrayImage inpaint(GrayImage image, LostTiles lost, List<QuantizedLatent> latents)
      throws IOException {
    List<float[]> z = new ArrayList<>(latents.size());
    for (QuantizedLatent q : latents) {
      z.add(q.dequantize());
    }
    return inpaintWithLatents(image, lost, z);
  }

  /** As above with float latents; all zeros is the same G without z. */
  public synchronized GrayImage inpaintWithLatents(
      GrayImage image, LostTiles lost, List<float[]> latents) throws IOException {
    TileGrid grid = lost.grid();
    if (image.width() != grid.width() || image.height() != grid.height()) {
      throw new IllegalArgumentException(
          "image is " + image.width() + "x" + image.height() + ", lost tiles are of another grid");
    }
    int d = Networks.EMBEDDING_DIM;
    float[] z = ImageReconstructor.flattenLatents(grid.tileCount(), latents);
    GrayImage filled = lost.harmonicPadded(image);
    boolean[] maskBits = lost.paddedMask();
    float[] mask = new float[maskBits.length];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = maskBits[i] ? 1f : 0f;
    }
    try (NDManager m = model.getNDManager().newSubManager()) {
      Shape shape = new Shape(1, grid.paddedHeight(), grid.paddedWidth(), 1);
      NDArray x = m.create(filled.pixels(), shape);
      x.setName("image");
      NDArray mk = m.create(mask, shape);
      mk.setName("mask");
      NDArray zz = m.create(z, new Shape(1, grid.rows(), grid.cols(), d));
      zz.setName("latent");
      NDList out = predictor.predict(new NDList(x, mk, zz));
      float[] px = out.get(0).toFloatArray();
      GrayImage rebuilt = grid.crop(new GrayImage(grid.paddedWidth(), grid.paddedHeight(), px));
      return lost.compose(image, rebuilt);
    } catch (TranslateException e) {
      throw new IOException("inpainting generator failed: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    predictor.close();
    model.close();
  }
}
