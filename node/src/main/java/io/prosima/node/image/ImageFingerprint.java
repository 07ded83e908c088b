package io.prosima.node.image;

import com.google.protobuf.ByteString;
import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.tiling.QuantizedLatent;
import io.prosima.imaging.tiling.TileGrid;
import io.prosima.imaging.tiling.TileHashes;
import io.prosima.proto.v1.TileLeaf;
import io.prosima.proto.wire.ImageLeaves;
import io.prosima.proto.wire.Sha256;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An image cut into canonical tiles with their content hashes, E's latents, the leaves and the
 * Merkle root (DESIGN.md, Imaging: tiles). The canonical bytes are also what gets encrypted, so a
 * retrieved tile is checked against its on-chain content hash byte for byte.
 */
public record ImageFingerprint(
    TileGrid grid, List<byte[]> canonicalTiles, List<TileLeaf> leaves, byte[] merkleRoot) {

  /** Tiles, hashes and (when {@code encoder} is not null) latents of {@code image}. */
  public static ImageFingerprint of(GrayImage image, TileEncoder encoder) throws IOException {
    TileGrid grid = TileGrid.of(image);
    GrayImage padded = grid.pad(image);
    List<float[]> tiles = new ArrayList<>(grid.tileCount());
    List<byte[]> canonical = new ArrayList<>(grid.tileCount());
    for (int i = 0; i < grid.tileCount(); i++) {
      float[] tile = grid.tile(padded, i);
      tiles.add(tile);
      canonical.add(TileHashes.canonicalBytes(tile));
    }
    float[][] z = encoder == null ? null : encoder.embed(tiles);
    List<TileLeaf> leaves = new ArrayList<>(tiles.size());
    for (int i = 0; i < tiles.size(); i++) {
      TileLeaf.Builder leaf =
          TileLeaf.newBuilder()
              .setIndex(i)
              .setContentHash(ByteString.copyFrom(Sha256.hash(canonical.get(i))));
      if (z != null) {
        QuantizedLatent q = QuantizedLatent.quantize(z[i]);
        leaf.setLatent(ByteString.copyFrom(q.values())).setLatentScale(q.scale());
      }
      leaves.add(leaf.build());
    }
    return new ImageFingerprint(grid, canonical, leaves, ImageLeaves.root(leaves));
  }

  /** The grid as the ledger records it. */
  public io.prosima.proto.v1.TileGrid gridProto() {
    return io.prosima.proto.v1.TileGrid.newBuilder()
        .setImageWidth(grid.width())
        .setImageHeight(grid.height())
        .setRows(grid.rows())
        .setCols(grid.cols())
        .build();
  }

  /** Rebuilds the image (cropped to its original size) from canonical tile bytes. */
  public static GrayImage assemble(TileGrid grid, List<byte[]> canonicalTiles) {
    int side = TileGrid.TILE_PX;
    float[] px = new float[grid.paddedWidth() * grid.paddedHeight()];
    for (int t = 0; t < grid.tileCount(); t++) {
      byte[] b = canonicalTiles.get(t);
      int x0 = t % grid.cols() * side;
      int y0 = t / grid.cols() * side;
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          int i = 2 * (y * side + x);
          int q = ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
          px[(y0 + y) * grid.paddedWidth() + x0 + x] = q / 65535f;
        }
      }
    }
    return grid.crop(new GrayImage(grid.paddedWidth(), grid.paddedHeight(), px));
  }
}
