package io.prosima.imaging.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Where an encrypted tile belongs: chain, image and tile index. It is authenticated as AES-GCM
 * additional data, so a ciphertext moved to another chain, image or tile position fails to decrypt.
 *
 * <p>AAD encoding (version 1), all integers big-endian, every variable field length-prefixed so
 * that no two different positions share an encoding:
 *
 * <pre>
 *   "prosima/tile-aad/v1" 0x00          domain tag, zero-terminated
 *   u8  tile format version              (the header's version byte)
 *   u32 len(chainId UTF-8)  chainId
 *   u32 len(imageId UTF-8)  imageId
 *   u32 tileIndex
 * </pre>
 */
public record TilePosition(String chainId, String imageId, int tileIndex) {
  /** Chain ids are short names; the cap keeps the AAD small and bounded. */
  public static final int CHAIN_ID_BYTES_MAX = 128;

  /** Image ids are hashes or UUID-like strings; the cap keeps the AAD small and bounded. */
  public static final int IMAGE_ID_BYTES_MAX = 256;

  /** A 256×256 image at the smallest sensible tile (8×8) has 1024 tiles; leave headroom. */
  public static final int TILE_INDEX_MAX = 65_535;

  static final String AAD_TAG = "prosima/tile-aad/v1";

  public TilePosition {
    checkId("chain id", chainId, CHAIN_ID_BYTES_MAX);
    checkId("image id", imageId, IMAGE_ID_BYTES_MAX);
    if (tileIndex < 0 || tileIndex > TILE_INDEX_MAX) {
      throw new IllegalArgumentException(
          "tile index " + tileIndex + " outside 0.." + TILE_INDEX_MAX);
    }
  }

  /** The AES-GCM additional data for a tile of this format version at this position. */
  byte[] aad(int formatVersion) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    byte[] tag = AAD_TAG.getBytes(StandardCharsets.US_ASCII);
    out.write(tag, 0, tag.length);
    out.write(0);
    out.write(formatVersion);
    writeField(out, chainId.getBytes(StandardCharsets.UTF_8));
    writeField(out, imageId.getBytes(StandardCharsets.UTF_8));
    writeU32(out, tileIndex);
    return out.toByteArray();
  }

  static void checkId(String what, String id, int bytesMax) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    int n = id.getBytes(StandardCharsets.UTF_8).length;
    if (n > bytesMax) {
      throw new IllegalArgumentException(what + " is " + n + " bytes, max " + bytesMax);
    }
  }

  static void writeField(ByteArrayOutputStream out, byte[] field) {
    writeU32(out, field.length);
    out.write(field, 0, field.length);
  }

  static void writeU32(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }
}
