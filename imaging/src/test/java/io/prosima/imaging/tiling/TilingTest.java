package io.prosima.imaging.tiling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.io.ImageFormatException;
import io.prosima.proto.v1.TileLeaf;
import io.prosima.proto.wire.ImageLeaves;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class TilingTest {
  static GrayImage ramp(int w, int h) {
    float[] px = new float[w * h];
    for (int i = 0; i < px.length; i++) {
      px[i] = (i % 997) / 996f;
    }
    return new GrayImage(w, h, px);
  }

  @Test
  void a256ImageIsAFourByFourGridOf64PixelTiles() throws Exception {
    TileGrid grid = TileGrid.of(ramp(256, 256));
    assertEquals(4, grid.rows());
    assertEquals(4, grid.cols());
    assertEquals(16, grid.tileCount());
  }

  @Test
  void tilesAreRowMajorAndCoverTheImage() throws Exception {
    GrayImage img = ramp(256, 256);
    TileGrid grid = TileGrid.of(img);
    float[] tile5 = grid.tile(img, 5); // row 1, col 1
    assertEquals(img.get(64, 64), tile5[0]);
    assertEquals(img.get(127, 127), tile5[64 * 64 - 1]);
  }

  @Test
  void otherSizesAreZeroPaddedToAMultipleOfTheTileAndCroppedBack() throws Exception {
    GrayImage img = ramp(100, 130);
    TileGrid grid = TileGrid.of(img);
    assertEquals(2, grid.cols());
    assertEquals(3, grid.rows());
    GrayImage padded = grid.pad(img);
    assertEquals(128, padded.width());
    assertEquals(192, padded.height());
    assertEquals(0f, padded.get(127, 191));
    assertEquals(img.get(99, 129), padded.get(99, 129));
    assertEquals(img, grid.crop(padded));
  }

  @Test
  void imagesTooLargeToTileAreRefusedClearly() {
    ImageFormatException e =
        assertThrows(
            ImageFormatException.class, () -> TileGrid.of(new GrayImage(2049, 1, new float[2049])));
    assertTrue(e.getMessage().contains("too large to tile"), e.getMessage());
  }

  @Test
  void canonicalBytesAreClippedUnsigned16BitBigEndian() {
    float[] tile = new float[64 * 64];
    tile[0] = 1f;
    tile[1] = 0.5f;
    tile[2] = -3f;
    tile[3] = 7f;
    byte[] b = TileHashes.canonicalBytes(tile);
    assertEquals(8192, b.length);
    assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xFF}, Arrays.copyOfRange(b, 0, 2));
    assertArrayEquals(new byte[] {(byte) 0x80, 0x00}, Arrays.copyOfRange(b, 2, 4)); // 32768
    assertArrayEquals(new byte[] {0, 0}, Arrays.copyOfRange(b, 4, 6));
    assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xFF}, Arrays.copyOfRange(b, 6, 8));
  }

  @Test
  void theContentHashOfAnAllZeroTileIsSha256Of8192ZeroBytes() {
    // sha256 of 8192 zero bytes, from: head -c 8192 /dev/zero | sha256sum
    assertEquals(
        "9f1dcbc35c350d6027f98be0f5c8b43b42ca52b7604459c0c42be3aa88913d47",
        HexFormat.of().formatHex(TileHashes.contentHash(new float[64 * 64])));
  }

  @Test
  void changingOnePixelChangesOnlyThatTilesHash() throws Exception {
    GrayImage a = ramp(256, 256);
    float[] px = a.pixels();
    px[200 * 256 + 10] += 0.1f; // tile row 3, col 0 -> index 12
    GrayImage b = new GrayImage(256, 256, px);
    List<byte[]> ha = TileHashes.contentHashes(a);
    List<byte[]> hb = TileHashes.contentHashes(b);
    for (int i = 0; i < 16; i++) {
      assertEquals(i != 12, Arrays.equals(ha.get(i), hb.get(i)), "tile " + i);
    }
  }

  @Test
  void leavesAndRootFollowImageLeaves() throws Exception {
    GrayImage img = ramp(256, 256);
    List<QuantizedLatent> latents =
        java.util.stream.IntStream.range(0, 16)
            .mapToObj(i -> QuantizedLatent.quantize(new float[] {i, -1f, 0.5f}))
            .toList();
    List<TileLeaf> leaves = TileHashes.leaves(img, latents);
    assertEquals(16, leaves.size());
    assertEquals(7, leaves.get(7).getIndex());
    assertArrayEquals(ImageLeaves.root(leaves), TileHashes.merkleRoot(leaves));
    List<TileLeaf> other = TileHashes.leaves(img, null);
    assertFalse(Arrays.equals(TileHashes.merkleRoot(leaves), TileHashes.merkleRoot(other)));
  }

  @Test
  void latentsFilesRoundTripAndRefuseBadLines(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
    List<QuantizedLatent> latents =
        List.of(
            QuantizedLatent.quantize(new float[] {0.1f, -0.2f}),
            QuantizedLatent.quantize(new float[] {1f, 0.5f}));
    java.nio.file.Path f = tmp.resolve("z.txt");
    LatentsFile.write(latents, f);
    assertEquals(latents, LatentsFile.read(f));
    java.nio.file.Files.writeString(f, "0 0.1 zz\n");
    assertThrows(ImageFormatException.class, () -> LatentsFile.read(f));
    java.nio.file.Files.writeString(f, "1 0.1 00\n");
    assertThrows(ImageFormatException.class, () -> LatentsFile.read(f));
  }

  @Test
  void latentQuantizationMapsTheLargestComponentTo127AndRoundTripsWithinHalfAStep() {
    float[] z = {0.3f, -0.6f, 0.01f, 0f};
    QuantizedLatent q = QuantizedLatent.quantize(z);
    assertEquals(-127, q.values()[1]);
    assertEquals(0.6f / 127f, q.scale(), 1e-9);
    float[] back = q.dequantize();
    for (int i = 0; i < z.length; i++) {
      assertEquals(z[i], back[i], q.scale() / 2 + 1e-7);
    }
    assertEquals(0f, QuantizedLatent.quantize(new float[3]).scale());
  }
}
