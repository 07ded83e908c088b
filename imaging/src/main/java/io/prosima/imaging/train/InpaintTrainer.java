package io.prosima.imaging.train;

import io.prosima.imaging.engine.TensorFlowBootstrap;
import io.prosima.imaging.inpaint.HarmonicFill;
import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.metrics.ImageMetrics;
import io.prosima.imaging.model.ImageReconstructor;
import io.prosima.imaging.model.Networks;
import io.prosima.imaging.model.Params;
import io.prosima.imaging.tiling.QuantizedLatent;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Trains the inpainting G ({@link Networks#inpaintGenerator}) to rebuild lost tiles from their
 * neighbours and their latents z*.
 *
 * <p>z* is what the chain holds: the int8-quantized E(clean tile) of the shipped E, which is not
 * trained here. E runs once before training on every training slice under each of the 8 symmetries
 * of the square (a flipped slice has other tiles and other latents), so the training graph needs no
 * E. Each example is a crop aligned to the tile grid with 1 or 2 of its tiles lost (mostly tiles
 * with anatomy: a lost empty tile teaches nothing). G sees the lost tiles pre-filled by {@link
 * HarmonicFill} (so the untrained network starts at the classical baseline and learns what the
 * neighbours and z* add to it) and the mask of lost pixels; the loss is the squared error over the
 * lost pixels only, since the known pixels are kept as they are. With probability {@code
 * latentDropout} an example's latents are all zero, so the same network also rebuilds without z.
 */
public final class InpaintTrainer {
  /** A lost tile is drawn again (up to this many times) while its clean mean is below the next. */
  static final int ANATOMY_DRAWS_MAX = 6;

  static final double ANATOMY_MEAN_MIN = 0.05;

  /** Fixed validation crops, each with its centre tile lost. */
  static final int VALIDATION_CROPS = 8;

  /** What a run produced. */
  public record Outcome(
      Map<String, float[]> weights,
      Map<String, long[]> shapes,
      double generatorLoss,
      double validationPsnrDb,
      double validationPsnrNoZDb,
      double seconds,
      int steps) {}

  private final InpaintConfig config;
  private final PrintStream log;

  public InpaintTrainer(InpaintConfig config, PrintStream log) {
    this.config = config;
    this.log = log;
  }

  /** A slice under one symmetry with the dequantized z* of its 4x4 tiles. */
  private record Example(float[] pixels, float[][] latents) {}

  public Outcome run(SliceDataset data) throws IOException {
    TensorFlowBootstrap.ensureLoaded();
    long start = System.nanoTime();
    Random random = new Random(config.seed());
    int side = SliceDataset.SLICE_PX;
    int grid = side / Networks.TILE_PX;

    List<Example> train = new ArrayList<>();
    List<Example> validation = new ArrayList<>();
    try (ImageReconstructor e = ImageReconstructor.load(config.modelsDir())) {
      for (SliceDataset.Slice s : data.train()) {
        for (int d = 0; d < 8; d++) {
          float[] px = Trainer.dihedral(s.image().pixels(), side, d);
          train.add(new Example(px, latents(e, px)));
        }
      }
      for (SliceDataset.Slice s : data.validation()) {
        float[] px = s.image().pixels();
        validation.add(new Example(px, latents(e, px)));
      }
    }
    log.printf(
        "z* of %d training slices x 8 symmetries and %d validation slices in %.1f s%n",
        data.train().size(), validation.size(), (System.nanoTime() - start) / 1e9);

    int b = config.batch();
    int c = config.cropPx();
    int cropGrid = c / Networks.TILE_PX;
    try (Graph g = new Graph();
        Session s = new Session(g, Trainer.sessionConfig())) {
      Ops tf = Ops.create(g);
      Params params = Params.random(tf, config.seed());
      Networks net = new Networks(tf, params);
      Placeholder<TFloat32> clean = image(tf, b, c);
      Placeholder<TFloat32> holed = image(tf, b, c);
      Placeholder<TFloat32> mask = image(tf, b, c);
      Placeholder<TFloat32> z =
          tf.placeholder(
              TFloat32.class,
              Placeholder.shape(Shape.of(b, cropGrid, cropGrid, Networks.EMBEDDING_DIM)));
      Operand<TFloat32> out = net.inpaintGenerator(holed, mask, z, b);
      // Squared error, not L1: a lost tile is uncertain, and the mean of what fits the
      // neighbours and z* is what maximises PSNR, the figure the issue asks for.
      Operand<TFloat32> diff = tf.math.sub(out, clean);
      Operand<TFloat32> lostMse =
          tf.math.div(
              Trainer.mean(tf, tf.math.mul(tf.math.mul(diff, diff), mask)),
              tf.math.add(Trainer.mean(tf, mask), tf.constant(1e-6f)));
      Map<String, Variable<TFloat32>> vars = new LinkedHashMap<>(params.variables());
      Trainer.Adam adam = new Trainer.Adam(tf, g, lostMse, vars);
      s.initialize();

      Batch val = validationBatch(validation, b, c);
      double loss = Double.NaN;
      double smoothed = Double.NaN;
      double valPsnr = Double.NaN;
      double valPsnrNoZ = Double.NaN;
      Map<String, float[]> last = snapshot(s, params);
      int done = 0;
      ProgressBar bar = new ProgressBar(log, "inpaint G", config.steps(), 25);
      for (int step = 1; step <= config.steps(); step++) {
        Batch batch = trainingBatch(train, random, b, c);
        try (TFloat32 tc = Trainer.tensor(batch.clean, b, c);
            TFloat32 th = Trainer.tensor(batch.holed, b, c);
            TFloat32 tm = Trainer.tensor(batch.mask, b, c);
            TFloat32 tz = latentTensor(batch.latents, b, cropGrid)) {
          var runner = s.runner().feed(clean, tc).feed(holed, th).feed(mask, tm).feed(z, tz);
          loss =
              adam.step(
                  runner, step, learningRate(step, (System.nanoTime() - start) / 1e9), lostMse);
        }
        if (!Double.isFinite(loss)) {
          log.printf(
              "loss is %s at step %d (seed %d); stopping and keeping step %d%n",
              loss, step, config.seed(), done);
          break;
        }
        done = step;
        boolean outOfTime =
            config.timeLimitSeconds() > 0
                && (System.nanoTime() - start) / 1e9 > config.timeLimitSeconds();
        smoothed = Double.isNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
        if (step % config.validateEvery() == 0 || step == config.steps() || outOfTime) {
          last = snapshot(s, params);
          valPsnr = validate(s, holed, mask, z, out, val, b, c, false);
          valPsnrNoZ = validate(s, holed, mask, z, out, val, b, c, true);
          log.printf(
              "validation step %d: lost-tile PSNR %.2f dB with z*, %.2f dB with z = 0%n",
              step, valPsnr, valPsnrNoZ);
        }
        bar.update(step, String.format("loss %.4f val %.2f dB", smoothed, valPsnr));
        if (outOfTime) {
          log.printf(
              "time limit of %.0f s reached after step %d of %d; keeping these weights%n",
              config.timeLimitSeconds(), step, config.steps());
          break;
        }
      }
      // No checkpoint is picked by validation score: validation slices only watch the run.
      Map<String, long[]> shapes = new LinkedHashMap<>();
      for (String name : last.keySet()) {
        shapes.put(name, params.shape(name));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Outcome(last, shapes, loss, valPsnr, valPsnrNoZ, seconds, done);
    }
  }

  /**
   * Warm-up over the first 5 % of steps, constant to 70 % of the run, then linear decay to a tenth.
   * Progress is the larger of the share of steps done and the share of the time limit used, so on a
   * slower (shared) machine the decay still happens before the time limit stops the run.
   */
  double learningRate(int step, double elapsedSeconds) {
    double base = config.learningRate();
    int warmup = Math.max(1, config.steps() / 20);
    if (step <= warmup) {
      return base * step / warmup;
    }
    double t = (double) step / Math.max(1, config.steps());
    if (config.timeLimitSeconds() > 0) {
      t = Math.max(t, elapsedSeconds / config.timeLimitSeconds());
    }
    if (t <= 0.7) {
      return base;
    }
    return base * (1 - 0.9 * Math.min(1, (t - 0.7) / 0.3));
  }

  private static float[][] latents(ImageReconstructor e, float[] pixels) throws IOException {
    GrayImage img = new GrayImage(SliceDataset.SLICE_PX, SliceDataset.SLICE_PX, pixels);
    List<QuantizedLatent> q = e.latents(img);
    float[][] out = new float[q.size()][];
    for (int i = 0; i < q.size(); i++) {
      out[i] = q.get(i).dequantize();
    }
    return out;
  }

  private static Map<String, float[]> snapshot(Session s, Params params) {
    Map<String, float[]> weights = new LinkedHashMap<>();
    for (var e : params.variables().entrySet()) {
      weights.put(e.getKey(), Trainer.fetch(s, e.getValue()));
    }
    return weights;
  }

  private static Placeholder<TFloat32> image(Ops tf, int n, int side) {
    return tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, side, side, 1)));
  }

  private static TFloat32 latentTensor(float[] z, int b, int grid) {
    return TFloat32.tensorOf(
        Shape.of(b, grid, grid, Networks.EMBEDDING_DIM), DataBuffers.of(z, true, false));
  }

  /** Clean crops, the same with lost tiles zeroed, the lost-pixel mask, and the crops' z*. */
  private record Batch(float[] clean, float[] holed, float[] mask, float[] latents) {}

  private Batch trainingBatch(List<Example> train, Random random, int b, int c) {
    int cropGrid = c / Networks.TILE_PX;
    int positions = (SliceDataset.SLICE_PX - c) / Networks.TILE_PX + 1;
    Batch batch = emptyBatch(b, c);
    for (int i = 0; i < b; i++) {
      Example ex = train.get(random.nextInt(train.size()));
      int tx0 = random.nextInt(positions);
      int ty0 = random.nextInt(positions);
      float[] crop =
          Trainer.crop(
              ex.pixels, SliceDataset.SLICE_PX, tx0 * Networks.TILE_PX, ty0 * Networks.TILE_PX, c);
      List<Integer> lost = new ArrayList<>();
      lost.add(anatomyTile(crop, c, random));
      if (config.lostTilesMax() > 1 && random.nextBoolean()) {
        int first = lost.get(0);
        int second;
        if (random.nextBoolean()) {
          // A neighbour of the first (tiles 5 and 6 lost together, as in the issue).
          List<Integer> near = neighbours(first, cropGrid);
          second = near.get(random.nextInt(near.size()));
        } else {
          do {
            second = random.nextInt(cropGrid * cropGrid);
          } while (second == first);
        }
        lost.add(second);
      }
      boolean dropZ = random.nextDouble() < config.latentDropout();
      fill(batch, i, c, crop, lost, dropZ ? null : cropLatents(ex, tx0, ty0, cropGrid));
    }
    return batch;
  }

  private static Batch emptyBatch(int b, int c) {
    int cropGrid = c / Networks.TILE_PX;
    return new Batch(
        new float[b * c * c],
        new float[b * c * c],
        new float[b * c * c],
        new float[b * cropGrid * cropGrid * Networks.EMBEDDING_DIM]);
  }

  private static void fill(
      Batch batch, int i, int c, float[] crop, List<Integer> lost, float[][] latents) {
    int cropGrid = c / Networks.TILE_PX;
    int off = i * c * c;
    System.arraycopy(crop, 0, batch.clean, off, c * c);
    boolean[] lostPx = new boolean[c * c];
    for (int t : lost) {
      int x0 = t % cropGrid * Networks.TILE_PX;
      int y0 = t / cropGrid * Networks.TILE_PX;
      for (int y = y0; y < y0 + Networks.TILE_PX; y++) {
        for (int x = x0; x < x0 + Networks.TILE_PX; x++) {
          lostPx[y * c + x] = true;
          batch.mask[off + y * c + x] = 1f;
        }
      }
    }
    System.arraycopy(HarmonicFill.fill(crop, c, c, lostPx), 0, batch.holed, off, c * c);
    if (latents != null) {
      int d = Networks.EMBEDDING_DIM;
      for (int t = 0; t < latents.length; t++) {
        System.arraycopy(latents[t], 0, batch.latents, (i * latents.length + t) * d, d);
      }
    }
  }

  private static float[][] cropLatents(Example ex, int tx0, int ty0, int cropGrid) {
    int grid = SliceDataset.SLICE_PX / Networks.TILE_PX;
    float[][] out = new float[cropGrid * cropGrid][];
    for (int r = 0; r < cropGrid; r++) {
      for (int q = 0; q < cropGrid; q++) {
        out[r * cropGrid + q] = ex.latents[(ty0 + r) * grid + tx0 + q];
      }
    }
    return out;
  }

  private static int anatomyTile(float[] crop, int c, Random random) {
    int cropGrid = c / Networks.TILE_PX;
    int t = random.nextInt(cropGrid * cropGrid);
    for (int draw = 1;
        draw < ANATOMY_DRAWS_MAX && tileMean(crop, c, t) < ANATOMY_MEAN_MIN;
        draw++) {
      t = random.nextInt(cropGrid * cropGrid);
    }
    return t;
  }

  static double tileMean(float[] img, int width, int t) {
    int cols = width / Networks.TILE_PX;
    int x0 = t % cols * Networks.TILE_PX;
    int y0 = t / cols * Networks.TILE_PX;
    double sum = 0;
    for (int y = y0; y < y0 + Networks.TILE_PX; y++) {
      for (int x = x0; x < x0 + Networks.TILE_PX; x++) {
        sum += img[y * width + x];
      }
    }
    return sum / (Networks.TILE_PX * Networks.TILE_PX);
  }

  private static List<Integer> neighbours(int t, int grid) {
    List<Integer> out = new ArrayList<>();
    int r = t / grid;
    int q = t % grid;
    if (r > 0) {
      out.add(t - grid);
    }
    if (r < grid - 1) {
      out.add(t + grid);
    }
    if (q > 0) {
      out.add(t - 1);
    }
    if (q < grid - 1) {
      out.add(t + 1);
    }
    return out;
  }

  /** Centre crops of evenly spaced validation slices, the crop's centre tile lost. */
  private static Batch validationBatch(List<Example> validation, int b, int c) {
    int cropGrid = c / Networks.TILE_PX;
    int t0 = (SliceDataset.SLICE_PX / Networks.TILE_PX - cropGrid) / 2;
    Batch batch = emptyBatch(b, c);
    for (int i = 0; i < b; i++) {
      Example ex = validation.get(i * validation.size() / b);
      float[] crop =
          Trainer.crop(
              ex.pixels, SliceDataset.SLICE_PX, t0 * Networks.TILE_PX, t0 * Networks.TILE_PX, c);
      int centre = (cropGrid / 2) * cropGrid + cropGrid / 2;
      fill(batch, i, c, crop, List.of(centre), cropLatents(ex, t0, t0, cropGrid));
    }
    return batch;
  }

  /** PSNR over the lost pixels of the validation crops, with z* or with z = 0. */
  private static double validate(
      Session s,
      Placeholder<TFloat32> holed,
      Placeholder<TFloat32> mask,
      Placeholder<TFloat32> z,
      Operand<TFloat32> out,
      Batch val,
      int b,
      int c,
      boolean zeroZ) {
    int cropGrid = c / Networks.TILE_PX;
    float[] latents = zeroZ ? new float[val.latents.length] : val.latents;
    try (TFloat32 th = Trainer.tensor(val.holed, b, c);
        TFloat32 tm = Trainer.tensor(val.mask, b, c);
        TFloat32 tz = latentTensor(latents, b, cropGrid);
        org.tensorflow.Result r =
            s.runner().feed(holed, th).feed(mask, tm).feed(z, tz).fetch(out).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] pred = new float[val.clean.length];
      t.read(DataBuffers.of(pred, false, false));
      int lost = 0;
      for (float m : val.mask) {
        lost += m > 0 ? 1 : 0;
      }
      float[] p = new float[lost];
      float[] ref = new float[lost];
      int k = 0;
      for (int i = 0; i < pred.length; i++) {
        if (val.mask[i] > 0) {
          p[k] = Math.min(1f, Math.max(0f, pred[i]));
          ref[k++] = val.clean[i];
        }
      }
      return ImageMetrics.psnr(p, ref);
    }
  }
}
