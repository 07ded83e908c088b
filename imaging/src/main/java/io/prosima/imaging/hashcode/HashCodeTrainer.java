package io.prosima.imaging.hashcode;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.train.SliceDataset;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Trains the similarity-code projection on the <b>training</b> slices only (the validation slices
 * of data/README.md are what the retrieval benchmark anchors and queries).
 *
 * <p>Classes: each training slice under 4 symmetries of the square (identity, left-right flip,
 * up-down flip, 180-degree turn: flipped copies are distractors the code must keep apart). Views of
 * a class: the image itself and {@code views} copies under random {@link CopyTransform}s. Method
 * "lda": directions that maximise between-class over within-class scatter (Fisher; within-class
 * scatter regularised by {@code ridge} times its mean eigenvalue), then ITQ (Gong and Lazebnik
 * 2011): an orthogonal rotation that minimises the quantisation loss of the sign. Method "pca": the
 * top principal directions of all views, then ITQ.
 */
public final class HashCodeTrainer {
  /** ITQ alternations (the loss flattens well before). */
  static final int ITQ_ITERATIONS = 50;

  /** Settings of one training run. */
  public record Config(String method, int views, double ridge, int levels, long seed) {
    public Config {
      if (!method.equals("lda") && !method.equals("pca")) {
        throw new IllegalArgumentException("method must be lda or pca");
      }
      if (views < 1 || views > 64) {
        throw new IllegalArgumentException("views must be 1..64");
      }
      if (levels < 1 || levels > 8 || HashCoder.CODE_BITS % levels != 0) {
        throw new IllegalArgumentException("levels must divide " + HashCoder.CODE_BITS);
      }
      if (!(ridge > 0) || ridge > 10) {
        throw new IllegalArgumentException("ridge must be in (0, 10]");
      }
    }
  }

  private HashCodeTrainer() {}

  /** The 4 symmetries used as separate classes. */
  static GrayImage symmetry(GrayImage g, int which) {
    int w = g.width();
    int h = g.height();
    float[] src = g.pixels();
    float[] out = new float[src.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int sx = (which == 1 || which == 3) ? w - 1 - x : x;
        int sy = (which == 2 || which == 3) ? h - 1 - y : y;
        out[y * w + x] = src[sy * w + sx];
      }
    }
    return new GrayImage(w, h, out);
  }

  public static HashProjection train(
      SliceDataset data,
      TileEmbedder encoder,
      Config config,
      java.nio.file.Path featureCache,
      Consumer<String> log)
      throws IOException {
    if (featureCache != null && java.nio.file.Files.isRegularFile(featureCache)) {
      log.accept("features from " + featureCache);
      return fit(readCache(featureCache), HashCoder.CODE_BITS, config, log);
    }
    List<float[][]> classes = features(data, encoder, config, log);
    if (featureCache != null) {
      writeCache(featureCache, classes);
    }
    return fit(classes, HashCoder.CODE_BITS, config, log);
  }

  private static void writeCache(java.nio.file.Path file, List<float[][]> classes)
      throws IOException {
    try (var out =
        new java.io.DataOutputStream(
            new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(file)))) {
      out.writeInt(classes.size());
      out.writeInt(classes.get(0).length);
      out.writeInt(classes.get(0)[0].length);
      for (float[][] c : classes) {
        for (float[] x : c) {
          for (float f : x) {
            out.writeFloat(f);
          }
        }
      }
    }
  }

  private static List<float[][]> readCache(java.nio.file.Path file) throws IOException {
    try (var in =
        new java.io.DataInputStream(
            new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file)))) {
      int n = in.readInt();
      int v = in.readInt();
      int d = in.readInt();
      List<float[][]> classes = new ArrayList<>(n);
      for (int c = 0; c < n; c++) {
        float[][] views = new float[v][d];
        for (float[] x : views) {
          for (int i = 0; i < d; i++) {
            x[i] = in.readFloat();
          }
        }
        classes.add(views);
      }
      return classes;
    }
  }

  static List<float[][]> features(
      SliceDataset data, TileEmbedder encoder, Config config, Consumer<String> log)
      throws IOException {
    Random random = new Random(config.seed());
    List<CopyTransform> transforms = CopyTransform.all();
    List<float[][]> classes = new ArrayList<>();
    int done = 0;
    for (SliceDataset.Slice s : data.train()) {
      for (int sym = 0; sym < 4; sym++) {
        GrayImage base = symmetry(s.image(), sym);
        float[][] views = new float[config.views() + 1][];
        views[0] = HashCoder.features(encoder, base);
        for (int v = 1; v <= config.views(); v++) {
          CopyTransform t = transforms.get(random.nextInt(transforms.size()));
          views[v] = HashCoder.features(encoder, t.apply(base, random));
        }
        classes.add(views);
      }
      if (++done % 20 == 0) {
        log.accept("features: " + done + "/" + data.train().size() + " training slices");
      }
    }
    return classes;
  }

  /** Fits the projection to feature vectors grouped by class (each group: views of one image). */
  static HashProjection fit(
      List<float[][]> classes, int bits, Config config, Consumer<String> log) {
    int d = classes.get(0)[0].length;
    int n = 0;
    double[] mean = new double[d];
    for (float[][] c : classes) {
      for (float[] x : c) {
        for (int i = 0; i < d; i++) {
          mean[i] += x[i];
        }
        n++;
      }
    }
    for (int i = 0; i < d; i++) {
      mean[i] /= n;
    }
    RealMatrix directions;
    if (config.method().equals("pca")) {
      double[][] total = new double[d][d];
      for (float[][] c : classes) {
        for (float[] x : c) {
          addOuter(total, x, mean, 1.0 / n);
        }
      }
      directions = topEigenvectors(new Array2DRowRealMatrix(total, false), bits / config.levels());
    } else {
      double[][] within = new double[d][d];
      double[][] between = new double[d][d];
      for (float[][] c : classes) {
        double[] cm = new double[d];
        for (float[] x : c) {
          for (int i = 0; i < d; i++) {
            cm[i] += x[i] / (double) c.length;
          }
        }
        float[] cmf = new float[d];
        for (int i = 0; i < d; i++) {
          cmf[i] = (float) cm[i];
        }
        for (float[] x : c) {
          addOuter(within, x, cm, 1.0 / n);
        }
        addOuter(between, cmf, mean, 1.0 / classes.size());
      }
      double trace = 0;
      for (int i = 0; i < d; i++) {
        trace += within[i][i];
      }
      double ridge = config.ridge() * trace / d;
      for (int i = 0; i < d; i++) {
        within[i][i] += ridge;
      }
      log.accept("eigen-decomposition of the within-class scatter (" + d + "x" + d + ")");
      EigenDecomposition we = new EigenDecomposition(new Array2DRowRealMatrix(within, false));
      RealMatrix u = we.getV();
      double[] ev = we.getRealEigenvalues();
      RealMatrix whiten = u.copy();
      for (int j = 0; j < d; j++) {
        double s = 1 / Math.sqrt(Math.max(ev[j], ridge));
        for (int i = 0; i < d; i++) {
          whiten.setEntry(i, j, whiten.getEntry(i, j) * s);
        }
      }
      RealMatrix sb = whiten.transpose().multiply(new Array2DRowRealMatrix(between, false));
      sb = sb.multiply(whiten);
      sb = sb.add(sb.transpose()).scalarMultiply(0.5);
      log.accept("eigen-decomposition of the whitened between-class scatter");
      directions = whiten.multiply(topEigenvectors(sb, bits / config.levels()));
    }
    // Training data in the projected space, for ITQ.
    double[][] y = new double[n][];
    int row = 0;
    for (float[][] c : classes) {
      for (float[] x : c) {
        double[] centred = new double[d];
        for (int i = 0; i < d; i++) {
          centred[i] = x[i] - mean[i];
        }
        y[row++] = directions.preMultiply(centred);
      }
    }
    RealMatrix ym = new Array2DRowRealMatrix(y, false);
    int levels = config.levels();
    int dirs = bits / levels;
    RealMatrix w;
    float[] thresholds = new float[bits];
    float[] matrix = new float[d * bits];
    if (levels == 1) {
      w = directions.multiply(itq(ym, bits, config.seed(), log));
    } else {
      // Thermometer code: bits (j, l) = [projection j > its training quantile (l + 1) / (L + 1)],
      // so the Hamming distance counts quantile steps between two projections (an L1 distance).
      w = directions;
      for (int j = 0; j < dirs; j++) {
        double[] col = ym.getColumn(j);
        Arrays.sort(col);
        for (int l = 0; l < levels; l++) {
          int at = (int) Math.round((l + 1.0) / (levels + 1) * (col.length - 1));
          thresholds[j * levels + l] = (float) col[at];
        }
      }
    }
    float[] meanF = new float[d];
    for (int i = 0; i < d; i++) {
      meanF[i] = (float) mean[i];
      for (int j = 0; j < bits; j++) {
        matrix[i * bits + j] = (float) w.getEntry(i, levels == 1 ? j : j / levels);
      }
    }
    return new HashProjection(d, bits, meanF, matrix, thresholds);
  }

  private static void addOuter(double[][] acc, float[] x, double[] mean, double weight) {
    int d = x.length;
    double[] c = new double[d];
    for (int i = 0; i < d; i++) {
      c[i] = x[i] - mean[i];
    }
    for (int i = 0; i < d; i++) {
      double ci = c[i] * weight;
      if (ci == 0) {
        continue;
      }
      double[] ai = acc[i];
      for (int j = 0; j < d; j++) {
        ai[j] += ci * c[j];
      }
    }
  }

  private static void addOuter(double[][] acc, float[] x, float[] mean, double weight) {
    double[] m = new double[mean.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = mean[i];
    }
    addOuter(acc, x, m, weight);
  }

  /** The eigenvectors of the {@code k} largest eigenvalues of a symmetric matrix, as columns. */
  static RealMatrix topEigenvectors(RealMatrix symmetric, int k) {
    EigenDecomposition e = new EigenDecomposition(symmetric);
    double[] ev = e.getRealEigenvalues();
    Integer[] order = new Integer[ev.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(ev[b], ev[a]));
    RealMatrix v = e.getV();
    RealMatrix out = new Array2DRowRealMatrix(symmetric.getRowDimension(), k);
    for (int j = 0; j < k; j++) {
      out.setColumn(j, v.getColumn(order[j]));
    }
    return out;
  }

  /** ITQ: the rotation R minimising ||sign(Y R) - Y R||; seeded random orthogonal start. */
  static RealMatrix itq(RealMatrix y, int bits, long seed, Consumer<String> log) {
    Random random = new Random(seed ^ 0x17C0DEL);
    double[][] g = new double[bits][bits];
    for (double[] r : g) {
      for (int j = 0; j < bits; j++) {
        r[j] = random.nextGaussian();
      }
    }
    RealMatrix rotation = new QRDecomposition(new Array2DRowRealMatrix(g, false)).getQ();
    for (int it = 0; it < ITQ_ITERATIONS; it++) {
      RealMatrix v = y.multiply(rotation);
      double[][] b = new double[v.getRowDimension()][bits];
      for (int i = 0; i < b.length; i++) {
        for (int j = 0; j < bits; j++) {
          b[i][j] = v.getEntry(i, j) >= 0 ? 1 : -1;
        }
      }
      RealMatrix bm = new Array2DRowRealMatrix(b, false);
      SingularValueDecomposition svd = new SingularValueDecomposition(y.transpose().multiply(bm));
      rotation = svd.getU().multiply(svd.getVT());
      if (it % 10 == 9) {
        double loss = bm.subtract(y.multiply(rotation)).getFrobeniusNorm();
        log.accept(
            String.format(java.util.Locale.ROOT, "ITQ iteration %d: loss %.2f", it + 1, loss));
      }
    }
    return rotation;
  }
}
