package io.prosima.imaging.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for image tiles under one per-image {@link DataKey}.
 *
 * <p>Tiles are encrypted one call each: the JDK's GCM intrinsics run at GB/s on calls of a few KB
 * but fall off badly on huge single calls (shared/PERF-NOTES.md). Every tile gets a fresh random
 * 96-bit nonce; with at most {@link #TILES_PER_KEY_MAX} tiles per key the chance of a nonce
 * collision stays below 2^-32 (NIST SP 800-38D §8.3).
 *
 * <p>Encrypted tile layout, version 1:
 *
 * <pre>
 *   u8       format version (1)
 *   byte[12] nonce
 *   byte[n]  ciphertext
 *   byte[16] GCM tag
 * </pre>
 *
 * The AAD is {@link TilePosition}'s encoding including the version byte, so a tile moved to another
 * chain, image or position, or relabelled with another version, fails authentication.
 *
 * <p>Not thread-safe: it holds one JDK {@link Cipher}. Use one instance per thread.
 */
public final class TileCipher {
  public static final int FORMAT_VERSION = 1;
  public static final int NONCE_BYTES = 12;
  public static final int TAG_BYTES = 16;
  public static final int HEADER_BYTES = 1 + NONCE_BYTES;

  /** Bytes an encrypted tile adds to its plaintext. */
  public static final int OVERHEAD_BYTES = HEADER_BYTES + TAG_BYTES;

  /** A 256×256 16-bit tile is 128 KiB; the cap bounds memory for a hostile header. */
  public static final int TILE_BYTES_MAX = 16 * 1024 * 1024;

  /** Random 96-bit nonces: 2^32 tiles per key keeps collisions below 2^-32 (SP 800-38D). */
  public static final long TILES_PER_KEY_MAX = 1L << 32;

  private static final int TAG_BITS = TAG_BYTES * 8;

  private final SecretKeySpec key;
  private final SecureRandom random;
  private final Cipher cipher;
  private long tilesEncrypted;

  public TileCipher(DataKey dataKey, SecureRandom random) {
    Objects.requireNonNull(dataKey, "dataKey");
    this.random = Objects.requireNonNull(random, "random");
    this.key = new SecretKeySpec(dataKey.bytes(), "AES");
    try {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no AES/GCM/NoPadding", e);
    }
  }

  /** Encrypts {@code plaintext} as the tile at {@code position}. */
  public byte[] encrypt(TilePosition position, byte[] plaintext) {
    return encrypt(position, plaintext, 0, plaintext.length);
  }

  /** Encrypts {@code plaintext[offset, offset+length)} as the tile at {@code position}. */
  public byte[] encrypt(TilePosition position, byte[] plaintext, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, plaintext.length);
    if (length > TILE_BYTES_MAX) {
      throw new IllegalArgumentException("tile is " + length + " bytes, max " + TILE_BYTES_MAX);
    }
    if (tilesEncrypted >= TILES_PER_KEY_MAX) {
      throw new IllegalStateException("data key used for " + TILES_PER_KEY_MAX + " tiles");
    }
    tilesEncrypted++;
    byte[] out = new byte[OVERHEAD_BYTES + length];
    out[0] = (byte) FORMAT_VERSION;
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(position.aad(FORMAT_VERSION));
      int n = cipher.doFinal(plaintext, offset, length, out, HEADER_BYTES);
      if (n != length + TAG_BYTES) {
        throw new IllegalStateException("GCM wrote " + n + " bytes, expected " + (length + 16));
      }
    } catch (GeneralSecurityException e) {
      // Key and parameters are fixed and valid: a failure here is a broken JDK, not bad input.
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
    return out;
  }

  /**
   * Decrypts an encrypted tile that must belong at {@code position}.
   *
   * @throws TileAuthenticationException if the bytes are malformed or do not authenticate under
   *     this key and position; no plaintext is returned then
   */
  public byte[] decrypt(TilePosition position, byte[] encryptedTile)
      throws TileAuthenticationException {
    if (encryptedTile.length < OVERHEAD_BYTES) {
      throw new TileAuthenticationException(
          "encrypted tile is " + encryptedTile.length + " bytes, shorter than its overhead");
    }
    if (encryptedTile.length - OVERHEAD_BYTES > TILE_BYTES_MAX) {
      throw new TileAuthenticationException("encrypted tile exceeds " + TILE_BYTES_MAX + " bytes");
    }
    int version = encryptedTile[0] & 0xff;
    if (version != FORMAT_VERSION) {
      throw new TileAuthenticationException("unknown encrypted tile format version " + version);
    }
    try {
      cipher.init(
          Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, encryptedTile, 1, NONCE_BYTES));
      cipher.updateAAD(position.aad(version));
      return cipher.doFinal(encryptedTile, HEADER_BYTES, encryptedTile.length - HEADER_BYTES);
    } catch (AEADBadTagException e) {
      throw new TileAuthenticationException(
          "tile "
              + position.tileIndex()
              + " of image "
              + position.imageId()
              + " failed authentication (wrong key, altered bytes, or wrong chain/image/position)",
          e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  @Override
  public String toString() {
    return "TileCipher[AES-256-GCM, key redacted]";
  }
}
