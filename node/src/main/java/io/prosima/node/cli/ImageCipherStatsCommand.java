package io.prosima.node.cli;

import io.prosima.imaging.cipherstats.CipherImageExperiment;
import io.prosima.imaging.cipherstats.CipherStats;
import io.prosima.imaging.cipherstats.CipherStats.Direction;
import io.prosima.imaging.cipherstats.RandomnessThresholds;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `prosima image cipher-stats FILE…`: encrypts grayscale PNGs with the tile cipher and prints the
 * NPCR/UACI randomness tests of Wu, Noonan and Agaian (2011), entropy and adjacent-pixel
 * correlation of the cipher image, each next to its ideal value.
 */
@Command(
    name = "cipher-stats",
    mixinStandardHelpOptions = true,
    description = {
      "Encrypt 8- or 16-bit grayscale PNGs tile by tile (AES-256-GCM) and print cipher-image",
      "statistics: NPCR, UACI (with Wu-Noonan-Agaian 2011 critical values), entropy and",
      "adjacent-pixel correlation. With several files, prints one line each and a summary."
    })
public final class ImageCipherStatsCommand implements Callable<Integer> {
  /** A 16-bit 8192×8192 PNG compresses to well under this; the cap stops decompression bombs. */
  static final long PNG_FILE_BYTES_MAX = 256L * 1024 * 1024;

  /** Pixel cap, checked before the samples are copied out of the decoded image. */
  static final long IMAGE_PIXELS_MAX = 8192L * 8192;

  static final double[] ALPHAS = {0.05, 0.01, 0.001};

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "grayscale PNG file(s)")
  List<Path> files;

  /** Canonical samples of a grayscale image: row-major, 16-bit big-endian. */
  record Gray(byte[] samples, int width, int height, int bytesPerSample) {}

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    SecureRandom random = new SecureRandom();
    if (files.size() == 1) {
      Gray g = readGray(files.get(0));
      printReport(out, files.get(0), g, analyse(g, random));
      out.flush();
      return 0;
    }
    int[] npcrPass = new int[ALPHAS.length];
    int[] uaciPass = new int[ALPHAS.length];
    double minEntropy = 8;
    double maxAbsCorr = 0;
    out.println(
        "file                          pixels  NPCR%     UACI%     entropy  corrH     corrV     corrD"
            + "     pass@0.05 pass@0.01 pass@0.001");
    for (Path f : files) {
      Gray g = readGray(f);
      Stats s = analyse(g, random);
      StringBuilder pass = new StringBuilder();
      for (int i = 0; i < ALPHAS.length; i++) {
        boolean np = s.npcr >= s.npcrCritical[i];
        boolean up = s.uaci >= s.uaciLow[i] && s.uaci <= s.uaciHigh[i];
        npcrPass[i] += np ? 1 : 0;
        uaciPass[i] += up ? 1 : 0;
        pass.append(String.format(Locale.ROOT, " %-9s", (np ? "N" : "-") + (up ? "U" : "-")));
      }
      minEntropy = Math.min(minEntropy, s.entropy);
      for (double c : s.corr) {
        maxAbsCorr = Math.max(maxAbsCorr, Math.abs(c));
      }
      out.printf(
          Locale.ROOT,
          "%-28s %7d  %-8.4f  %-8.4f  %-7.4f  %-8.5f  %-8.5f  %-8.5f %s%n",
          f.getFileName(),
          s.m,
          100 * s.npcr,
          100 * s.uaci,
          s.entropy,
          s.corr[0],
          s.corr[1],
          s.corr[2],
          pass);
    }
    out.println();
    out.println("summary over " + files.size() + " images (N = NPCR test passed, U = UACI test):");
    for (int i = 0; i < ALPHAS.length; i++) {
      out.printf(
          Locale.ROOT,
          "  α = %-5s NPCR passed %d/%d, UACI passed %d/%d (a truly random cipher passes each"
              + " test with probability %.1f%%, so about %.1f failures are expected)%n",
          ALPHAS[i],
          npcrPass[i],
          files.size(),
          uaciPass[i],
          files.size(),
          100 * (1 - ALPHAS[i]),
          ALPHAS[i] * files.size());
    }
    out.printf(
        Locale.ROOT,
        "  lowest cipher entropy %.4f bits (ideal 8); largest |adjacent correlation| %.5f"
            + " (ideal 0)%n",
        minEntropy,
        maxAbsCorr);
    out.flush();
    return 0;
  }

  static final class Stats {
    long m;
    double npcr;
    double uaci;
    double entropy;
    double entropyPlain;
    double[] corr = new double[3];
    double[] corrPlain = new double[3];
    double[] npcrCritical = new double[ALPHAS.length];
    double[] uaciLow = new double[ALPHAS.length];
    double[] uaciHigh = new double[ALPHAS.length];
    int changedX;
    int changedY;
  }

  static Stats analyse(Gray g, SecureRandom random) {
    CipherImageExperiment.Result r =
        CipherImageExperiment.run(g.samples, g.width, g.height, g.bytesPerSample, random);
    Stats s = new Stats();
    s.m = r.cipherA().length;
    s.npcr = CipherStats.npcr(r.cipherA(), r.cipherB());
    s.uaci = CipherStats.uaci(r.cipherA(), r.cipherB());
    s.entropy = CipherStats.entropyBits(r.cipherA());
    s.entropyPlain = CipherStats.entropyBits(r.plainBytes());
    Direction[] dirs = Direction.values();
    for (int i = 0; i < 3; i++) {
      s.corr[i] = CipherStats.adjacentCorrelation(r.cipherA(), r.byteWidth(), r.height(), dirs[i]);
      s.corrPlain[i] =
          CipherStats.adjacentCorrelation(r.plainBytes(), r.byteWidth(), r.height(), dirs[i]);
    }
    int f = RandomnessThresholds.BYTE_VALUE_MAX;
    for (int i = 0; i < ALPHAS.length; i++) {
      s.npcrCritical[i] = RandomnessThresholds.npcrCritical(s.m, f, ALPHAS[i]);
      double[] iv = RandomnessThresholds.uaciInterval(s.m, f, ALPHAS[i]);
      s.uaciLow[i] = iv[0];
      s.uaciHigh[i] = iv[1];
    }
    s.changedX = r.changedPixelX();
    s.changedY = r.changedPixelY();
    return s;
  }

  private static void printReport(PrintWriter out, Path file, Gray g, Stats s) {
    int f = RandomnessThresholds.BYTE_VALUE_MAX;
    out.printf(
        Locale.ROOT,
        "file: %s — %d×%d, %d-bit grayscale%n",
        file,
        g.width,
        g.height,
        8 * g.bytesPerSample);
    out.println(
        "compared: the cipher images of two separate encryptions under one random AES-256 data"
            + " key,");
    out.printf(
        Locale.ROOT,
        "  C1 = Enc(P) and C2 = Enc(P'), P' = P with the lowest bit of pixel (x=%d, y=%d)"
            + " flipped;%n",
        s.changedX,
        s.changedY);
    out.println(
        "  4×4 tiles, each with its own fresh random 96-bit nonce; cipher image = each tile's"
            + " ciphertext");
    out.printf(
        Locale.ROOT,
        "  bytes (nonce and tag left out) laid back in the tile's pixel positions; analysed as"
            + " 8-bit samples:%n  M = %d samples, F = %d.%n",
        s.m,
        f);
    if (g.bytesPerSample == 2) {
      out.println(
          "  16-bit image: each sample is split into its two big-endian bytes, so the cipher"
              + " image is analysed as a "
              + (2 * g.width)
              + "×"
              + g.height
              + " 8-bit image.");
    }
    out.println(
        "  note: AES-GCM is a stream cipher (CTR): under one key AND one nonce, C1 and C2 would"
            + " differ");
    out.println(
        "  in one byte only. Nonces are never reused; these figures measure two independent"
            + " encryptions.");
    out.println();
    out.printf(
        Locale.ROOT,
        "%-24s %-10s %-10s %-26s %-26s %-26s%n",
        "metric",
        "value",
        "ideal",
        "α=0.05",
        "α=0.01",
        "α=0.001");
    StringBuilder npcrCols = new StringBuilder();
    StringBuilder uaciCols = new StringBuilder();
    for (int i = 0; i < ALPHAS.length; i++) {
      npcrCols.append(
          String.format(
              Locale.ROOT,
              "%-26s ",
              String.format(
                  Locale.ROOT,
                  "≥ %.4f %s",
                  100 * s.npcrCritical[i],
                  s.npcr >= s.npcrCritical[i] ? "PASS" : "FAIL")));
      boolean up = s.uaci >= s.uaciLow[i] && s.uaci <= s.uaciHigh[i];
      uaciCols.append(
          String.format(
              Locale.ROOT,
              "%-26s ",
              String.format(
                  Locale.ROOT,
                  "[%.4f, %.4f] %s",
                  100 * s.uaciLow[i],
                  100 * s.uaciHigh[i],
                  up ? "PASS" : "FAIL")));
    }
    out.printf(
        Locale.ROOT,
        "%-24s %-10.4f %-10.4f %s%n",
        "NPCR %",
        100 * s.npcr,
        100 * RandomnessThresholds.npcrExpected(f),
        npcrCols);
    out.printf(
        Locale.ROOT,
        "%-24s %-10.4f %-10.4f %s%n",
        "UACI %",
        100 * s.uaci,
        100 * RandomnessThresholds.uaciExpected(f),
        uaciCols);
    out.printf(
        Locale.ROOT,
        "%-24s %-10.4f %-10s (%.4f expected for M random bytes; plain image %.4f)%n",
        "entropy, bits/byte",
        s.entropy,
        "8",
        CipherStats.entropyExpectedBits(s.m),
        s.entropyPlain);
    String[] names = {"horizontal", "vertical", "diagonal"};
    double bound = 2 / Math.sqrt(s.m); // ≈ 2σ of a correlation of M independent pairs
    for (int i = 0; i < 3; i++) {
      out.printf(
          Locale.ROOT,
          "%-24s %-10.5f %-10s (|r| < %.4f ≈ 2σ for random data; plain image %.5f)%n",
          "correlation " + names[i],
          s.corr[i],
          "0",
          bound,
          s.corrPlain[i]);
    }
  }

  /** Minimal PNG loading (javax.imageio), grayscale only, 8 or 16 bits per sample. */
  static Gray readGray(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new CliException("no such file: " + file);
    }
    if (Files.size(file) > PNG_FILE_BYTES_MAX) {
      throw new CliException(file + " is larger than " + PNG_FILE_BYTES_MAX + " bytes");
    }
    BufferedImage img = ImageIO.read(file.toFile());
    if (img == null) {
      throw new CliException(file + " is not an image javax.imageio can read");
    }
    Raster raster = img.getRaster();
    int bits = raster.getSampleModel().getSampleSize(0);
    if (raster.getNumBands() != 1
        || img.getColorModel() instanceof IndexColorModel
        || (bits != 8 && bits != 16)) {
      throw new CliException(file + " is not an 8- or 16-bit grayscale image");
    }
    int w = img.getWidth();
    int h = img.getHeight();
    if ((long) w * h > IMAGE_PIXELS_MAX) {
      throw new CliException(file + " has more than " + IMAGE_PIXELS_MAX + " pixels");
    }
    int bps = bits / 8;
    byte[] samples = new byte[w * h * bps];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        int v = row[x];
        if (bps == 1) {
          samples[y * w + x] = (byte) v;
        } else {
          samples[2 * (y * w + x)] = (byte) (v >>> 8);
          samples[2 * (y * w + x) + 1] = (byte) v;
        }
      }
    }
    return new Gray(samples, w, h, bps);
  }
}
