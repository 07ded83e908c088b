package io.prosima.imaging.model;

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
import io.prosima.imaging.tiling.QuantizedLatent;
import io.prosima.imaging.tiling.TileGrid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Inference with the exported E and G through DJL's TensorFlow engine.
 *
 * <p>Reconstruction pads the image to its 64-px grid, runs G on the whole padded image with one
 * latent per tile, clips to [0, 1] and crops back. The latents are the tiles' anchored fingerprints
 * z* when the caller has them (from the chain); without them {@link #reconstruct(GrayImage)} uses E
 * of the input's own tiles, which E was trained to keep close to E of the clean tiles (contrastive
 * training on noisy views).
 *
 * <p>Inputs must already be scaled to [0, 1]. Methods are synchronized: DJL predictors are not
 * thread-safe. Callers run this on their own worker thread, never on a network or consensus thread
 * (inference takes tens of milliseconds).
 */
public final class ImageReconstructor implements AutoCloseable {
  private final ZooModel<NDList, NDList> encoder;
  private final ZooModel<NDList, NDList> generator;
  private final Predictor<NDList, NDList> encode;
  private final Predictor<NDList, NDList> generate;

  private ImageReconstructor(ZooModel<NDList, NDList> encoder, ZooModel<NDList, NDList> generator) {
    this.encoder = encoder;
    this.generator = generator;
    this.encode = encoder.newPredictor();
    this.generate = generator.newPredictor();
  }

  /** Loads {@code modelsDir/encoder} and {@code modelsDir/generator} without checking hashes. */
  public static ImageReconstructor load(Path modelsDir) throws IOException {
    return open(
        modelsDir.resolve(ModelExport.ENCODER_DIR), modelsDir.resolve(ModelExport.GENERATOR_DIR));
  }

  /**
   * Loads the models only if their weights hashes ({@link AnchoredModel#weightsSha256}) equal the
   * anchored ones.
   */
  public static ImageReconstructor loadAnchored(
      Path modelsDir, byte[] encoderSha256, byte[] generatorSha256) throws IOException {
    Path e = AnchoredModel.verify(modelsDir.resolve(ModelExport.ENCODER_DIR), encoderSha256);
    Path g = AnchoredModel.verify(modelsDir.resolve(ModelExport.GENERATOR_DIR), generatorSha256);
    return open(e, g);
  }

  private static ImageReconstructor open(Path encoderDir, Path generatorDir) throws IOException {
    for (Path p : List.of(encoderDir, generatorDir)) {
      if (!Files.isRegularFile(p.resolve("saved_model.pb"))) {
        throw new IOException(p + " is not a SavedModel directory (no saved_model.pb)");
      }
    }
    TensorFlowBootstrap.ensureLoaded();
    ZooModel<NDList, NDList> e = loadModel(encoderDir);
    try {
      return new ImageReconstructor(e, loadModel(generatorDir));
    } catch (IOException | RuntimeException ex) {
      e.close();
      throw ex;
    }
  }

  private static ZooModel<NDList, NDList> loadModel(Path dir) throws IOException {
    Criteria<NDList, NDList> criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optModelPath(dir)
            .optEngine("TensorFlow")
            .optOption("SignatureDefKey", ModelExport.SIGNATURE)
            .build();
    try {
      return criteria.loadModel();
    } catch (ModelNotFoundException | MalformedModelException e) {
      throw new IOException("cannot load model " + dir + ": " + e.getMessage(), e);
    }
  }

  /** E of each 64x64 tile (row-major values), unit-length embeddings. */
  public synchronized float[][] embed(List<float[]> tiles) throws IOException {
    int n = tiles.size();
    if (n == 0) {
      return new float[0][];
    }
    float[] flat = new float[n * TileGrid.TILE_PX * TileGrid.TILE_PX];
    for (int i = 0; i < n; i++) {
      System.arraycopy(
          tiles.get(i),
          0,
          flat,
          i * TileGrid.TILE_PX * TileGrid.TILE_PX,
          TileGrid.TILE_PX * TileGrid.TILE_PX);
    }
    try (NDManager m = encoder.getNDManager().newSubManager()) {
      NDArray x = m.create(flat, new Shape(n, TileGrid.TILE_PX, TileGrid.TILE_PX, 1));
      x.setName("tile");
      NDList out = encode.predict(new NDList(x));
      float[] all = out.get(0).toFloatArray();
      int d = all.length / n;
      float[][] emb = new float[n][d];
      for (int i = 0; i < n; i++) {
        System.arraycopy(all, i * d, emb[i], 0, d);
      }
      return emb;
    } catch (TranslateException e) {
      throw new IOException("encoder failed: " + e.getMessage(), e);
    }
  }

  /** The quantized latents E(tile) of every tile of {@code image}, in tile index order. */
  public List<QuantizedLatent> latents(GrayImage image) throws IOException {
    TileGrid grid = TileGrid.of(image);
    GrayImage padded = grid.pad(image);
    List<float[]> tiles = new ArrayList<>(grid.tileCount());
    for (int i = 0; i < grid.tileCount(); i++) {
      tiles.add(grid.tile(padded, i));
    }
    List<QuantizedLatent> out = new ArrayList<>();
    for (float[] z : embed(tiles)) {
      out.add(QuantizedLatent.quantize(z));
    }
    return out;
  }

  /** Reconstructs with latents computed from the input itself (no chain available). */
  public GrayImage reconstruct(GrayImage image) throws IOException {
    return reconstruct(image, latents(image));
  }

  /** Reconstructs conditioned on the given per-tile latents z* (e.g. anchored on chain). */
  public GrayImage reconstruct(GrayImage image, List<QuantizedLatent> latents) throws IOException {
    List<float[]> z = new ArrayList<>(latents.size());
    for (QuantizedLatent q : latents) {
      z.add(q.dequantize());
    }
    return reconstructWithLatents(image, z);
  }

  /**
   * One tile's latent after another, in tile order, as the generator's z input; refused unless
   * there is one latent of {@link Networks#EMBEDDING_DIM} values per tile.
   */
  public static float[] flattenLatents(int tiles, List<float[]> latents) {
    if (latents.size() != tiles) {
      throw new IllegalArgumentException(
          "image has " + tiles + " tiles but " + latents.size() + " latents were given");
    }
    int d = Networks.EMBEDDING_DIM;
    float[] z = new float[tiles * d];
    for (int i = 0; i < latents.size(); i++) {
      if (latents.get(i).length != d) {
        throw new IllegalArgumentException(
            "latent " + i + " has " + latents.get(i).length + " values, expected " + d);
      }
      System.arraycopy(latents.get(i), 0, z, i * d, d);
    }
    return z;
  }

  /** Reconstructs with raw (float) latents; all zeros means "unconditioned". */
  public synchronized GrayImage reconstructWithLatents(GrayImage image, List<float[]> latents)
      throws IOException {
    TileGrid grid = TileGrid.of(image);
    int d = Networks.EMBEDDING_DIM;
    float[] z = flattenLatents(grid.tileCount(), latents);
    GrayImage padded = grid.pad(image);
    try (NDManager m = generator.getNDManager().newSubManager()) {
      NDArray x =
          m.create(padded.pixels(), new Shape(1, grid.paddedHeight(), grid.paddedWidth(), 1));
      x.setName("image");
      NDArray zz = m.create(z, new Shape(1, grid.rows(), grid.cols(), d));
      zz.setName("latent");
      NDList out = generate.predict(new NDList(x, zz));
      float[] px = out.get(0).toFloatArray();
      return grid.crop(new GrayImage(grid.paddedWidth(), grid.paddedHeight(), px));
    } catch (TranslateException e) {
      throw new IOException("generator failed: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    encode.close();
    generate.close();
    encoder.close();
    generator.close();
  }
}
