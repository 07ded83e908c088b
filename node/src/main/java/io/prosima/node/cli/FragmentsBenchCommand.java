package io.prosima.node.cli;

import io.prosima.imaging.crypto.DataKey;
import io.prosima.imaging.crypto.TileAuthenticationException;
import io.prosima.imaging.crypto.TileCipher;
import io.prosima.imaging.crypto.TilePosition;
import io.prosima.imaging.erasure.InsufficientFragmentsException;
import io.prosima.imaging.erasure.ReedSolomon;
import io.prosima.imaging.placement.PlacementStability;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `prosima bench fragments`: single-thread throughput of the fragment pipeline (tile encryption +
 * Reed–Solomon encoding, and decoding with fragments missing + decryption) on 256×256 16-bit images
 * cut in 4×4 tiles, next to raw AES-GCM and SHA-256 on the same run; storage overhead; and how many
 * fragment placements move when a node joins or leaves.
 */
@Command(
    name = "fragments",
    mixinStandardHelpOptions = true,
    description = "Benchmark tile encryption + erasure coding, decoding + decryption, placement.")
public final class FragmentsBenchCommand implements Callable<Integer> {
  static final int IMAGE_SIDE_PIXELS = 256;
  static final int BYTES_PER_SAMPLE = 2;
  static final int GRID_TILES_PER_SIDE = 4;
  static final int TILE_SIDE_PIXELS = IMAGE_SIDE_PIXELS / GRID_TILES_PER_SIDE;
  static final int TILE_BYTES = TILE_SIDE_PIXELS * TILE_SIDE_PIXELS * BYTES_PER_SAMPLE;
  static final int TILES_PER_IMAGE = GRID_TILES_PER_SIDE * GRID_TILES_PER_SIDE;
  static final int IMAGE_BYTES = TILE_BYTES * TILES_PER_IMAGE;

  /** Distinct random images cycled through, so the data is not one cache-resident buffer. */
  static final int DISTINCT_IMAGES = 32;

  static final int[][] CODES = {{3, 5}, {6, 10}};

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--images",
      defaultValue = "400",
      description = "images per timed run (default ${DEFAULT-VALUE})")
  int images;

  @Option(
      names = "--runs",
      defaultValue = "7",
      description = "timed runs; the median is reported (default ${DEFAULT-VALUE})")
  int runs;

  @Option(
      names = "--warmup-runs",
      defaultValue = "3",
      description = "untimed warm-up runs (default ${DEFAULT-VALUE})")
  int warmupRuns;

  @Option(names = "--seed", defaultValue = "1", description = "pixel and placement seed")
  long seed;

  @Option(
      names = "--placement-images",
      defaultValue = "1000",
      description = "images for the placement-stability figure (default ${DEFAULT-VALUE})")
  int placementImages;

  private interface Workload {
    void run(int images) throws Exception;
  }

  @Override
  public Integer call() throws Exception {
    if (images < 1 || runs < 1 || warmupRuns < 0 || placementImages < 1) {
      throw new IllegalArgumentException("--images, --runs, --placement-images must be ≥ 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    Random rnd = new Random(seed);
    byte[][] pixels = new byte[DISTINCT_IMAGES][IMAGE_BYTES];
    for (byte[] p : pixels) {
      rnd.nextBytes(p); // random 16-bit samples: the worst case for nothing, the same for all
    }
    SecureRandom secure = new SecureRandom();
    DataKey key = DataKey.generate(secure);
    double imageMb = IMAGE_BYTES / 1e6;

    out.printf(
        Locale.ROOT,
        "fragments bench: one thread, %d×%d 16-bit images (%d bytes), %d tiles of %d bytes;"
            + " %d warm-up + %d timed runs of %d images, median MB/s (1 MB = 10^6 bytes of"
            + " image)%n%n",
        IMAGE_SIDE_PIXELS,
        IMAGE_SIDE_PIXELS,
        IMAGE_BYTES,
        TILES_PER_IMAGE,
        TILE_BYTES,
        warmupRuns,
        runs,
        images);

    // Raw primitives on tile-sized calls, as the pipeline uses them.
    byte[] rawKey = key.copyBytes();
    SecretKeySpec aesKey = new SecretKeySpec(rawKey, "AES");
    Arrays.fill(rawKey, (byte) 0);
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    byte[] gcmOut = new byte[TILE_BYTES + 16];
    byte[] nonce = new byte[12];
    long[] counter = {0};
    double[] aes =
        median(
            n -> {
              for (int i = 0; i < n; i++) {
                byte[] img = pixels[i % DISTINCT_IMAGES];
                for (int t = 0; t < TILES_PER_IMAGE; t++) {
                  long c = ++counter[0];
                  for (int b = 0; b < 8; b++) {
                    nonce[b] = (byte) (c >>> (8 * b));
                  }
                  gcm.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(128, nonce));
                  gcm.doFinal(img, t * TILE_BYTES, TILE_BYTES, gcmOut, 0);
                }
              }
            },
            imageMb);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    double[] sha256 =
        median(
            n -> {
              for (int i = 0; i < n; i++) {
                byte[] img = pixels[i % DISTINCT_IMAGES];
                for (int t = 0; t < TILES_PER_IMAGE; t++) {
                  sha.update(img, t * TILE_BYTES, TILE_BYTES);
                  sha.digest();
                }
              }
            },
            imageMb);
    out.printf(Locale.ROOT, "%-58s %s%n", "raw AES-256-GCM encrypt (JDK, 8 KiB calls)", fmt(aes));
    out.printf(Locale.ROOT, "%-58s %s%n", "raw SHA-256 (JDK, 8 KiB calls)", fmt(sha256));
    out.println();

    TilePosition[] positions = new TilePosition[DISTINCT_IMAGES * TILES_PER_IMAGE];
    for (int i = 0; i < positions.length; i++) {
      positions[i] =
          new TilePosition(
              "bench-chain", "bench-image-" + (i / TILES_PER_IMAGE), i % TILES_PER_IMAGE);
    }
    TileCipher cipher = new TileCipher(key, secure);

    for (int[] code : CODES) {
      int r = code[0];
      int s = code[1];
      ReedSolomon rs = new ReedSolomon(r, s);
      double[] enc =
          median(
              n -> {
                for (int i = 0; i < n; i++) {
                  int img = i % DISTINCT_IMAGES;
                  for (int t = 0; t < TILES_PER_IMAGE; t++) {
                    byte[] ct =
                        cipher.encrypt(
                            positions[img * TILES_PER_IMAGE + t],
                            pixels[img],
                            t * TILE_BYTES,
                            TILE_BYTES);
                    rs.encode(ct);
                  }
                }
              },
              imageMb);
      // Fragments of every distinct image, for the decode runs.
      byte[][][] stored = new byte[DISTINCT_IMAGES * TILES_PER_IMAGE][][];
      long storedBytes = 0;
      for (int i = 0; i < stored.length; i++) {
        byte[] ct =
            cipher.encrypt(
                positions[i],
                pixels[i / TILES_PER_IMAGE],
                (i % TILES_PER_IMAGE) * TILE_BYTES,
                TILE_BYTES);
        stored[i] = rs.encode(ct);
        if (i < TILES_PER_IMAGE) {
          for (byte[] f : stored[i]) {
            storedBytes += f.length;
          }
        }
      }
      // Worst case: the first s−r fragments (data fragments) are missing, so decoding must invert
      // an r×r matrix and recompute data rows from parity.
      List<List<byte[]>> worst = new ArrayList<>();
      List<List<byte[]>> parityLost = new ArrayList<>();
      for (byte[][] frags : stored) {
        worst.add(Arrays.asList(Arrays.copyOfRange(frags, s - r, s)));
        parityLost.add(Arrays.asList(Arrays.copyOfRange(frags, 0, r)));
      }
      double[] decWorst = median(n -> decodeAll(n, rs, cipher, positions, worst), imageMb);
      double[] decEasy = median(n -> decodeAll(n, rs, cipher, positions, parityLost), imageMb);
      out.printf(Locale.ROOT, "(r, s) = (%d, %d)%n", r, s);
      out.printf(
          Locale.ROOT,
          "  %-56s %s%n",
          "tile encrypt + RS encode (incl. fragment SHA-256)",
          fmt(enc));
      out.printf(
          Locale.ROOT,
          "  %-56s %s%n",
          "RS decode + decrypt, fragments 0.." + (s - r - 1) + " (data) missing",
          fmt(decWorst));
      out.printf(
          Locale.ROOT,
          "  %-56s %s%n",
          "RS decode + decrypt, only parity fragments missing",
          fmt(decEasy));
      out.printf(
          Locale.ROOT,
          "  %-56s %9d bytes = %.4f× the image (s/r = %.4f; headers, nonce and tag add the"
              + " rest)%n",
          "stored per image (all fragments of 16 tiles)",
          storedBytes,
          (double) storedBytes / IMAGE_BYTES,
          (double) s / r);
      out.println();
    }

    out.printf(
        Locale.ROOT,
        "placement stability: 20 nodes in 4 regions (5 each), %d images × 16 tiles, uploader"
            + " region round-robin;%n  fragments that must move to a new node, per tile:%n",
        placementImages);
    for (int s : new int[] {5, 10}) {
      PlacementStability.Result pr =
          PlacementStability.measure(20, 4, s, placementImages, TILES_PER_IMAGE, seed);
      out.printf(
          Locale.ROOT,
          "  s = %2d: one node joins %.4f, one node leaves %.4f   (ideal ≈ s/N = %.4f;"
              + " s/(N+1) = %.4f for a join)%n",
          s,
          pr.movedPerTileJoin(),
          pr.movedPerTileLeave(),
          pr.idealPerTile(),
          (double) s / 21);
    }
    out.flush();
    key.destroy();
    return 0;
  }

  private static void decodeAll(
      int n, ReedSolomon rs, TileCipher cipher, TilePosition[] positions, List<List<byte[]>> sets)
      throws InsufficientFragmentsException, TileAuthenticationException {
    for (int i = 0; i < n; i++) {
      int img = i % DISTINCT_IMAGES;
      for (int t = 0; t < TILES_PER_IMAGE; t++) {
        int k = img * TILES_PER_IMAGE + t;
        byte[] plain = cipher.decrypt(positions[k], rs.decode(sets.get(k)));
        if (plain.length != TILE_BYTES) {
          throw new IllegalStateException("decoded tile has " + plain.length + " bytes");
        }
      }
    }
  }

  /**
   * Median MB/s over the timed runs, after the warm-up runs: {wall clock, this thread's CPU time}.
   * The machine is shared, so wall-clock figures drop when other processes run; thread CPU time is
   * the figure for "one core".
   */
  private double[] median(Workload w, double imageMb) throws Exception {
    for (int i = 0; i < warmupRuns; i++) {
      w.run(images);
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double[] wall = new double[runs];
    double[] cpu = new double[runs];
    for (int i = 0; i < runs; i++) {
      long c0 = mx.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      w.run(images);
      long ns = System.nanoTime() - t0;
      long cpuNs = mx.getCurrentThreadCpuTime() - c0;
      wall[i] = images * imageMb / (ns / 1e9);
      cpu[i] = images * imageMb / (cpuNs / 1e9);
    }
    return new double[] {medianOf(wall), medianOf(cpu)};
  }

  private static double medianOf(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  private static String fmt(double[] wallCpu) {
    return String.format(Locale.ROOT, "%9.1f MB/s wall  %9.1f MB/s CPU", wallCpu[0], wallCpu[1]);
  }

  static {
    // The tile grid must cover the image exactly; a broken constant is a programming error.
    if (TILE_SIDE_PIXELS * GRID_TILES_PER_SIDE != IMAGE_SIDE_PIXELS) {
      throw new IllegalStateException("tile grid does not divide the image");
    }
  }
}
