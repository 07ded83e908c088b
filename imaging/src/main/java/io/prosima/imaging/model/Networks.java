package io.prosima.imaging.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The two networks, built in TensorFlow graph mode from {@link Params}.
 *
 * <p>Only ops whose gradients TensorFlow's C++ registry has are used (checked by the gradient probe
 * test): Conv2D, BiasAdd, LeakyRelu, ResizeNearestNeighbor, ConcatV2, MatMul, Softmax, Mean, Sum,
 * Abs, Mul, Rsqrt, Reshape, Transpose, Split. BatchMatMulV2/V3 has no registered gradient, so
 * attention runs one 2-D MatMul per batch element; Square on a variable crashed the process in the
 * probe, so squares are written as Mul.
 *
 * <p>Layout is NHWC, pixels in [0, 1].
 */
public final class Networks {
  /** Side of a tile in pixels; latents are one per tile. */
  public static final int TILE_PX = 64;

  /** Encoder E: embedding size and channel widths. */
  public static final int EMBEDDING_DIM = 64;

  static final int[] ENCODER_WIDTHS = {16, 32, 64, 64};

  /** Generator G: channel widths at full, 1/2, 1/4 and 1/8 resolution. */
  static final int[] GENERATOR_WIDTHS = {16, 32, 64, 64};

  private static final float LEAK = 0.1f;

  private final Ops tf;
  private final Params params;

  public Networks(Ops tf, Params params) {
    this.tf = tf;
    this.params = params;
  }

  /** The features used by the perceptual loss: E's first two conv layers (any image size). */
  public Operand<TFloat32> encoderFeatures(Operand<TFloat32> images) {
    Operand<TFloat32> h = conv(images, "e/c1", 1, ENCODER_WIDTHS[0], 1, true);
    return conv(h, "e/c2", ENCODER_WIDTHS[0], ENCODER_WIDTHS[1], 2, true);
  }

  /** Side of the square pixel blocks whose means make up E's latent (8x8 blocks of 8x8 px). */
  public static final int LATENT_BLOCK_PX = TILE_PX / 8;

  /**
   * Subtracted from the block means so the latent is centred on mid-grey: int8 quantization ({@code
   * QuantizedLatent}, scale = max |z| / 127) then spends its range on [-0.5, 0.5] and the step is
   * at most 0.5 / 127 whatever the tile's brightness.
   */
  public static final float LATENT_OFFSET = 0.5f;

  /**
   * E: tiles [n, 64, 64, 1] to content latents [n, 64]: the means of the tile's 8x8 blocks of 8x8
   * pixels, row by row, minus {@link #LATENT_OFFSET}.
   *
   * <p>Why a fixed operator and not a learned one (issue 13, item 3): the latent has to (a) let a
   * verifier tell a benign copy from a local edit, tile by tile, and (b) let a lost tile be drawn
   * back. For (b) the earlier probe measured 17.98 dB from a tile's true 8x8 block means against
   * 12.9 dB from the contrastive embedding; an encoder trained to decode block means from noisy
   * views converges towards this averaging. For (a) an exact operator has an error the verifier can
   * bound: int8 rounding (half a step, known from the scale) plus pixel noise averaged over 64
   * pixels; a learned encoder adds a regression error no one can bound.
   */
  public Operand<TFloat32> encoder(Operand<TFloat32> tiles) {
    int blocks = TILE_PX / LATENT_BLOCK_PX;
    int px = LATENT_BLOCK_PX;
    // [n, 64, 64, 1] -> [n, by, y, bx, x]; the mean over y and x is the block mean.
    Operand<TFloat32> split =
        tf.reshape(tiles, tf.constant(new int[] {-1, blocks, px, blocks, px}));
    Operand<TFloat32> means = tf.math.mean(split, tf.constant(new int[] {2, 4}));
    return tf.math.sub(
        tf.reshape(means, tf.constant(new int[] {-1, EMBEDDING_DIM})), tf.constant(LATENT_OFFSET));
  }

  /** Rows scaled to unit length. */
  public Operand<TFloat32> l2Normalize(Operand<TFloat32> x) {
    Operand<TFloat32> norm2 =
        tf.sum(
            tf.math.mul(x, x),
            tf.constant(new int[] {1}),
            org.tensorflow.op.core.Sum.keepDims(true));
    return tf.math.mul(x, tf.math.rsqrt(tf.math.add(norm2, tf.constant(1e-6f))));
  }

  /**
   * G: a residual hybrid U-Net. {@code image} [n, h, w, 1] with h, w multiples of 64; {@code
   * latent} [n, h/64, w/64, EMBEDDING_DIM], the per-tile fingerprints z*. {@code batch} is n, fixed
   * when the graph is built (attention is unrolled per element). Returns image + predicted residual
   * (unclipped).
   */
  public Operand<TFloat32> generator(Operand<TFloat32> image, Operand<TFloat32> latent, int batch) {
    return unet("g", image, image, 1, latent, batch, false);
  }

  /** Latent map at the bottleneck: per tile, an 8x8 grid of this many channels decoded from z. */
  static final int LATENT_MAP_SIDE = TILE_PX / 8;

  /**
   * The inpainting G (issue 13, lost tiles): the same U-Net under the prefix {@code i/}, fed the
   * image with its lost tiles pre-filled by harmonic fill (the classical baseline, {@code
   * io.prosima.imaging.inpaint.HarmonicFill}) and the mask of lost pixels (1 = lost) as a second
   * channel. Besides FiLM (which only shifts a tile's features by one vector), each tile's latent
   * is decoded by a dense layer into an 8x8 map of bottleneck features added inside that tile, so a
   * lost tile, whose own pixels give the network nothing, gets spatial structure from z. Returns
   * image + predicted residual (unclipped); callers keep the known pixels and take only the lost
   * ones.
   */
  public Operand<TFloat32> inpaintGenerator(
      Operand<TFloat32> image, Operand<TFloat32> mask, Operand<TFloat32> latent, int batch) {
    Operand<TFloat32> input = tf.concat(List.of(image, mask), tf.constant(3));
    return unet("i", input, image, 2, latent, batch, true);
  }

  private Operand<TFloat32> unet(
      String p,
      Operand<TFloat32> input,
      Operand<TFloat32> image,
      int inChannels,
      Operand<TFloat32> latent,
      int batch,
      boolean latentMap) {
    int[] c = GENERATOR_WIDTHS;
    Operand<TFloat32> e1 = conv(input, p + "/e1a", inChannels, c[0], 1, true);
    e1 = conv(e1, p + "/e1b", c[0], c[0], 1, true);
    Operand<TFloat32> e2 = conv(e1, p + "/e2a", c[0], c[1], 2, true);
    e2 = conv(e2, p + "/e2b", c[1], c[1], 1, true);
    Operand<TFloat32> e3 = conv(e2, p + "/e3a", c[1], c[2], 2, true);
    e3 = conv(e3, p + "/e3b", c[2], c[2], 1, true);
    Operand<TFloat32> b = conv(e3, p + "/b1", c[2], c[3], 2, true);
    if (latentMap) {
      b = tf.math.add(b, latentMap(latent, p + "/zmap", c[3]));
    }
    b = film(b, latent, p + "/film_b", c[3]);
    b = tf.math.add(b, attention(b, p + "/attn", c[3], batch));
    b = conv(b, p + "/b2", c[3], c[3], 1, true);

    Operand<TFloat32> d3 = upsample(b, e3);
    d3 = conv(tf.concat(List.of(d3, e3), tf.constant(3)), p + "/d3a", c[3] + c[2], c[2], 1, true);
    d3 = film(d3, latent, p + "/film_d3", c[2]);
    d3 = conv(d3, p + "/d3b", c[2], c[2], 1, true);
    Operand<TFloat32> d2 = upsample(d3, e2);
    d2 = conv(tf.concat(List.of(d2, e2), tf.constant(3)), p + "/d2a", c[2] + c[1], c[1], 1, true);
    d2 = conv(d2, p + "/d2b", c[1], c[1], 1, true);
    Operand<TFloat32> d1 = upsample(d2, e1);
    d1 = conv(tf.concat(List.of(d1, e1), tf.constant(3)), p + "/d1a", c[1] + c[0], c[0], 1, true);
    Operand<TFloat32> residual = conv(d1, p + "/out", c[0], 1, 1, false, 0f);
    return tf.math.add(image, residual);
  }

  /**
   * Each tile's latent through a dense layer to an 8x8 x {@code channels} map, laid out on the
   * tile's 8x8 bottleneck positions: [n, rows, cols, 64] -> [n, rows * 8, cols * 8, channels].
   */
  private Operand<TFloat32> latentMap(Operand<TFloat32> latent, String name, int channels) {
    int side = LATENT_MAP_SIDE;
    Operand<TInt32> zShape = tf.shape(latent);
    Operand<TFloat32> flat = tf.reshape(latent, tf.constant(new int[] {-1, EMBEDDING_DIM}));
    Operand<TFloat32> w =
        params.get(
            name + "/w",
            new long[] {EMBEDDING_DIM, (long) side * side * channels},
            (float) Math.sqrt(1.0 / EMBEDDING_DIM));
    Operand<TFloat32> bias =
        params.get(name + "/b", new long[] {(long) side * side * channels}, 0f);
    Operand<TFloat32> m = tf.nn.biasAdd(tf.linalg.matMul(flat, w), bias);
    Operand<TInt32> n = tf.slice(zShape, tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    Operand<TInt32> rows = tf.slice(zShape, tf.constant(new int[] {1}), tf.constant(new int[] {1}));
    Operand<TInt32> cols = tf.slice(zShape, tf.constant(new int[] {2}), tf.constant(new int[] {1}));
    Operand<TFloat32> six =
        tf.reshape(
            m,
            tf.concat(
                List.of(n, rows, cols, tf.constant(new int[] {side, side, channels})),
                tf.constant(0)));
    // [n, rows, cols, sy, sx, c] -> [n, rows, sy, cols, sx, c]
    Operand<TFloat32> t = tf.linalg.transpose(six, tf.constant(new int[] {0, 1, 3, 2, 4, 5}));
    Operand<TInt32> sideT = tf.constant(new int[] {side});
    return tf.reshape(
        t,
        tf.concat(
            List.of(
                n,
                tf.math.mul(rows, sideT),
                tf.math.mul(cols, sideT),
                tf.constant(new int[] {channels})),
            tf.constant(0)));
  }

  /** Clips to [0, 1]; used only at inference. */
  public Operand<TFloat32> clip01(Operand<TFloat32> x) {
    return tf.math.minimum(tf.math.maximum(x, tf.constant(0f)), tf.constant(1f));
  }

  /** FiLM: h * (1 + gamma(z)) + beta(z), with gamma and beta per tile, nearest-upsampled. */
  private Operand<TFloat32> film(
      Operand<TFloat32> h, Operand<TFloat32> latent, String name, int channels) {
    Operand<TInt32> zShape = tf.shape(latent);
    Operand<TFloat32> flat = tf.reshape(latent, tf.constant(new int[] {-1, EMBEDDING_DIM}));
    Operand<TFloat32> w = params.get(name + "/w", new long[] {EMBEDDING_DIM, 2L * channels}, 0f);
    Operand<TFloat32> bias = params.get(name + "/b", new long[] {2L * channels}, 0f);
    Operand<TFloat32> gb = tf.nn.biasAdd(tf.linalg.matMul(flat, w), bias);
    Operand<TInt32> gbShape =
        tf.concat(
            List.of(
                tf.slice(zShape, tf.constant(new int[] {0}), tf.constant(new int[] {3})),
                tf.constant(new int[] {2 * channels})),
            tf.constant(0));
    Operand<TFloat32> grid = tf.reshape(gb, gbShape);
    Operand<TInt32> hw =
        tf.slice(tf.shape(h), tf.constant(new int[] {1}), tf.constant(new int[] {2}));
    Operand<TFloat32> up = tf.image.resizeNearestNeighbor(grid, hw);
    var parts = tf.split(tf.constant(3), up, 2L).output();
    Operand<TFloat32> gamma = parts.get(0);
    Operand<TFloat32> beta = parts.get(1);
    return tf.math.add(tf.math.add(h, tf.math.mul(h, gamma)), beta);
  }

  /** Single-head self-attention over all positions, residual output projection starts at zero. */
  private Operand<TFloat32> attention(Operand<TFloat32> h, String name, int channels, int batch) {
    Operand<TInt32> hShape = tf.shape(h);
    Operand<TFloat32> flat = tf.reshape(h, tf.constant(new int[] {-1, channels}));
    float std = (float) Math.sqrt(1.0 / channels);
    Operand<TFloat32> q = tf.linalg.matMul(flat, params.get(name + "/q", sq(channels), std));
    Operand<TFloat32> k = tf.linalg.matMul(flat, params.get(name + "/k", sq(channels), std));
    Operand<TFloat32> v = tf.linalg.matMul(flat, params.get(name + "/v", sq(channels), std));
    List<Operand<TFloat32>> outs = new ArrayList<>();
    List<Operand<TFloat32>> qs = splitRows(q, batch);
    List<Operand<TFloat32>> ks = splitRows(k, batch);
    List<Operand<TFloat32>> vs = splitRows(v, batch);
    Operand<TFloat32> scale = tf.constant((float) (1.0 / Math.sqrt(channels)));
    for (int i = 0; i < batch; i++) {
      Operand<TFloat32> logits =
          tf.math.mul(tf.linalg.matMul(qs.get(i), ks.get(i), MatMul.transposeB(true)), scale);
      outs.add(tf.linalg.matMul(tf.nn.softmax(logits), vs.get(i)));
    }
    Operand<TFloat32> att = batch == 1 ? outs.get(0) : tf.concat(outs, tf.constant(0));
    Operand<TFloat32> o = tf.linalg.matMul(att, params.get(name + "/o", sq(channels), 0f));
    return tf.reshape(o, hShape);
  }

  private List<Operand<TFloat32>> splitRows(Operand<TFloat32> x, int batch) {
    if (batch == 1) {
      return List.of(x);
    }
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (Operand<TFloat32> part : tf.split(tf.constant(0), x, (long) batch)) {
      out.add(part);
    }
    return out;
  }

  private Operand<TFloat32> upsample(Operand<TFloat32> h, Operand<TFloat32> like) {
    Operand<TInt32> hw =
        tf.slice(tf.shape(like), tf.constant(new int[] {1}), tf.constant(new int[] {2}));
    return tf.image.resizeNearestNeighbor(h, hw);
  }

  private Operand<TFloat32> conv(
      Operand<TFloat32> x, String name, int in, int out, int stride, boolean activate) {
    return conv(x, name, in, out, stride, activate, (float) Math.sqrt(2.0 / (9.0 * in)));
  }

  private Operand<TFloat32> conv(
      Operand<TFloat32> x,
      String name,
      int in,
      int out,
      int stride,
      boolean activate,
      float stddev) {
    Operand<TFloat32> w = params.get(name + "/w", new long[] {3, 3, in, out}, stddev);
    Operand<TFloat32> b = params.get(name + "/b", new long[] {out}, 0f);
    Operand<TFloat32> y =
        tf.nn.biasAdd(tf.nn.conv2d(x, w, List.of(1L, (long) stride, (long) stride, 1L), "SAME"), b);
    return activate ? tf.nn.leakyRelu(y, LeakyRelu.alpha(LEAK)) : y;
  }

  private Operand<TFloat32> dense(Operand<TFloat32> x, String name, int in, int out) {
    Operand<TFloat32> w =
        params.get(name + "/w", new long[] {in, out}, (float) Math.sqrt(1.0 / in));
    Operand<TFloat32> b = params.get(name + "/b", new long[] {out}, 0f);
    return tf.nn.biasAdd(tf.linalg.matMul(x, w), b);
  }

  private static long[] sq(int n) {
    return new long[] {n, n};
  }
}
