package io.prosima.imaging.cipherstats;

import io.prosima.imaging.crypto.DataKey;
import io.prosima.imaging.crypto.TileCipher;
import io.prosima.imaging.crypto.TilePosition;
import java.security.SecureRandom;

/**
 * The cipher-image experiment for one grayscale image: encrypt it tile by tile with {@link
 * TileCipher}, lay each tile's ciphertext bytes (nonce and tag left out) back where its pixels
 * were, and compare with the cipher image of a copy that differs in one pixel.
 *
 * <p>AES-GCM is a stream cipher (CTR mode): it has no diffusion of its own, and under one key and
 * one nonce the two cipher images would differ only in the changed byte. What the tiles' fresh
 * random nonces give is two independent encryptions; the NPCR/UACI figures here therefore measure
 * how random-looking and independent two encryptions under one data key are, which is the property
 * the Wu–Noonan–Agaian tests check.
 */
public final class CipherImageExperiment {
  /** 4×4 tiles, the design default. */
  public static final int GRID_TILES_PER_SIDE = 4;

  /** A 16-bit 8192×8192 image is 128 MiB; beyond that this in-memory experiment refuses. */
  public static final long IMAGE_BYTES_MAX = 128L * 1024 * 1024;

  /**
   * @param plainBytes the image's canonical bytes (row-major, 16-bit samples big-endian)
   * @param cipherA cipher image of the image
   * @param cipherB cipher image of the one-pixel-changed copy, encrypted separately
   * @param byteWidth bytes per row (width × bytes per sample)
   * @param changedPixelX column of the changed pixel
   * @param changedPixelY row of the changed pixel
   */
  public record Result(
      byte[] plainBytes,
      byte[] cipherA,
      byte[] cipherB,
      int byteWidth,
      int height,
      int changedPixelX,
      int changedPixelY) {}

  private CipherImageExperiment() {}

  /**
   * Runs the experiment.
   *
   * @param samples row-major canonical bytes, {@code bytesPerSample} (1 or 2) per pixel
   */
  public static Result run(
      byte[] samples, int width, int height, int bytesPerSample, SecureRandom random) {
    if (bytesPerSample != 1 && bytesPerSample != 2) {
      throw new IllegalArgumentException("bytes per sample must be 1 or 2");
    }
    long n = (long) width * height * bytesPerSample;
    if (width < 1 || height < 1 || n != samples.length || n > IMAGE_BYTES_MAX) {
      throw new IllegalArgumentException(
          "samples do not form a " + width + "×" + height + " image");
    }
    int byteWidth = width * bytesPerSample;
    int x = width / 2;
    int y = height / 2;
    byte[] changed = samples.clone();
    // Flip the lowest bit of the pixel's least significant byte: the smallest possible change.
    changed[y * byteWidth + x * bytesPerSample + bytesPerSample - 1] ^= 1;

    DataKey key = DataKey.generate(random);
    try {
      TileCipher cipher = new TileCipher(key, random);
      byte[] a = cipherImage(cipher, samples, width, height, bytesPerSample);
      byte[] b = cipherImage(cipher, changed, width, height, bytesPerSample);
      return new Result(samples, a, b, byteWidth, height, x, y);
    } finally {
      key.destroy();
    }
  }

  /** Tile by tile: gather the tile's rows, encrypt, scatter the ciphertext body back. */
  static byte[] cipherImage(
      TileCipher cipher, byte[] samples, int width, int height, int bytesPerSample) {
    int byteWidth = width * bytesPerSample;
    byte[] out = new byte[samples.length];
    int tileW = (width + GRID_TILES_PER_SIDE - 1) / GRID_TILES_PER_SIDE;
    int tileH = (height + GRID_TILES_PER_SIDE - 1) / GRID_TILES_PER_SIDE;
    int index = 0;
    for (int ty = 0; ty * tileH < height; ty++) {
      for (int tx = 0; tx * tileW < width; tx++) {
        int x0 = tx * tileW;
        int y0 = ty * tileH;
        int w = Math.min(tileW, width - x0) * bytesPerSample;
        int h = Math.min(tileH, height - y0);
        byte[] tile = new byte[w * h];
        for (int row = 0; row < h; row++) {
          System.arraycopy(samples, (y0 + row) * byteWidth + x0 * bytesPerSample, tile, row * w, w);
        }
        byte[] enc =
            cipher.encrypt(new TilePosition("cipher-stats", "cipher-stats-image", index++), tile);
        for (int row = 0; row < h; row++) {
          System.arraycopy(
              enc,
              TileCipher.HEADER_BYTES + row * w,
              out,
              (y0 + row) * byteWidth + x0 * bytesPerSample,
              w);
        }
      }
    }
    return out;
  }
}
