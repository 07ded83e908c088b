package io.prosima.imaging.federated;

import io.prosima.imaging.engine.TensorFlowBootstrap;
import io.prosima.imaging.metrics.ImageMetrics;
import io.prosima.imaging.model.Networks;
import io.prosima.imaging.model.Params;
import io.prosima.imaging.train.Corruptions;
import io.prosima.imaging.train.SliceDataset;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Mean PSNR of G on whole 256x256 slices with Gaussian noise of one sigma (seeded per slice, not
 * clipped), conditioned on z* = E(clean tile) as `model eval`'s "full G, z* anchored" row (without
 * the int8 quantisation).
 */
public final class DenoiseEvaluation {
  private DenoiseEvaluation() {}

  /** Mean PSNR (dB) of the noisy inputs and of G's outputs over {@code slices}. */
  public record Psnr(double noisyDb, double outputDb) {}

  public static Psnr psnr(
      Map<String, float[]> encoder,
      Map<String, float[]> generator,
      List<SliceDataset.Slice> slices,
      double sigma)
      throws IOException {
    TensorFlowBootstrap.ensureLoaded();
    int side = SliceDataset.SLICE_PX;
    int grid = side / Networks.TILE_PX;
    Map<String, float[]> all = new LinkedHashMap<>(encoder);
    all.putAll(generator);
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Networks net = new Networks(tf, Params.fixed(tf, all));
      Placeholder<TFloat32> clean =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, side, side, 1)));
      Placeholder<TFloat32> noisy =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, side, side, 1)));
      Operand<TFloat32> tiles =
          tf.reshape(
              tf.linalg.transpose(
                  tf.reshape(clean, tf.constant(new int[] {1, grid, 64, grid, 64, 1})),
                  tf.constant(new int[] {0, 1, 3, 2, 4, 5})),
              tf.constant(new int[] {-1, 64, 64, 1}));
      Operand<TFloat32> z =
          tf.reshape(
              net.encoder(tiles), tf.constant(new int[] {1, grid, grid, Networks.EMBEDDING_DIM}));
      Operand<TFloat32> out = net.clip01(net.generator(noisy, z, 1));
      s.initialize();
      double noisySum = 0;
      double outSum = 0;
      for (SliceDataset.Slice slice : slices) {
        float[] px = slice.image().pixels();
        float[] n = Corruptions.gaussian(px, sigma, new Random(0x5eed_0000L + slice.index()));
        try (TFloat32 tc = tensor(px, side);
            TFloat32 tn = tensor(n, side);
            Result r = s.runner().feed(clean, tc).feed(noisy, tn).fetch(out).run()) {
          float[] pred = new float[px.length];
          ((TFloat32) r.get(0)).read(DataBuffers.of(pred, false, false));
          noisySum += ImageMetrics.psnr(n, px);
          outSum += ImageMetrics.psnr(pred, px);
        }
      }
      return new Psnr(noisySum / slices.size(), outSum / slices.size());
    }
  }

  private static TFloat32 tensor(float[] px, int side) {
    return TFloat32.tensorOf(Shape.of(1, side, side, 1), DataBuffers.of(px, true, false));
  }
}
