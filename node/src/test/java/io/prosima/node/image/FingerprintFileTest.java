package io.prosima.node.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.tiling.QuantizedLatent;
import io.prosima.imaging.tiling.TileHashes;
import io.prosima.proto.v1.ImageAnchor;
import io.prosima.proto.v1.TileLeaf;
import io.prosima.proto.wire.ImageLeaves;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fingerprint file round-trips, and each way of breaking one is refused by name. */
class FingerprintFileTest {
  @TempDir Path dir;

  /** A self-consistent anchor of a 256x256 gradient with made-up 64-value latents. */
  private static ImageAnchor anchor() throws Exception {
    float[] px = new float[256 * 256];
    for (int i = 0; i < px.length; i++) {
      px[i] = (i % 256) / 255f;
    }
    List<QuantizedLatent> latents = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      float[] z = new float[64];
      z[t] = 1;
      latents.add(QuantizedLatent.quantize(z));
    }
    List<TileLeaf> leaves = TileHashes.leaves(new GrayImage(256, 256, px), latents);
    return ImageAnchor.newBuilder()
        .setGrid(
            io.prosima.proto.v1.TileGrid.newBuilder()
                .setImageWidth(256)
                .setImageHeight(256)
                .setRows(4)
                .setCols(4))
        .addAllLeaves(leaves)
        .setMerkleRoot(ByteString.copyFrom(ImageLeaves.root(leaves)))
        .build();
  }

  /** Changes one leaf and recomputes the root, so only the named rule can refuse it. */
  private static ImageAnchor withLeaf(ImageAnchor a, int i, UnaryOperator<TileLeaf> change) {
    ImageAnchor.Builder b = a.toBuilder().setLeaves(i, change.apply(a.getLeaves(i)));
    return b.setMerkleRoot(ByteString.copyFrom(ImageLeaves.root(b.getLeavesList()))).build();
  }

  @Test
  void aWrittenFingerprintReadsBackUnchanged() throws Exception {
    Path file = dir.resolve("fp.json");
    FingerprintFile.write(anchor(), file);
    assertEquals(anchor(), FingerprintFile.read(file));
  }

  @Test
  void eachBrokenRuleIsNamed() throws Exception {
    ImageAnchor a = anchor();
    assertEquals(null, FingerprintFile.problem(a));
    assertTrue(
        FingerprintFile.problem(withLeaf(a, 3, l -> l.toBuilder().setIndex(4).build()))
            .contains("leaves must be in order"));
    assertTrue(
        FingerprintFile.problem(
                withLeaf(
                    a,
                    3,
                    l -> l.toBuilder().setContentHash(ByteString.copyFrom(new byte[31])).build()))
            .contains("content_hash must be 32 bytes"));
    assertTrue(
        FingerprintFile.problem(
                withLeaf(a, 3, l -> l.toBuilder().setLatentScale(Float.NaN).build()))
            .contains("latent_scale must be finite"));
    assertTrue(
        FingerprintFile.problem(
                withLeaf(
                    a, 3, l -> l.toBuilder().setLatent(ByteString.copyFrom(new byte[65])).build()))
            .contains("latent above 64 bytes"));
    assertTrue(
        FingerprintFile.problem(a.toBuilder().removeLeaves(15).build()).contains("15 leaves"));
    assertTrue(
        FingerprintFile.problem(
                a.toBuilder().setGrid(a.getGrid().toBuilder().setImageWidth(0)).build())
            .contains("outside 1..2048"));
    // A latent changed and the root kept: the edit the root exists to catch.
    ImageAnchor edited =
        a.toBuilder()
            .setLeaves(
                2, a.getLeaves(2).toBuilder().setLatent(ByteString.copyFrom(new byte[64])).build())
            .build();
    assertTrue(FingerprintFile.problem(edited).contains("merkle_root does not match the leaves"));
  }

  @Test
  void aMissingOrOversizedFileIsRefusedBeforeParsing() throws Exception {
    assertThrows(FingerprintFileException.class, () -> FingerprintFile.read(dir.resolve("none")));
    Path big = dir.resolve("big.json");
    Files.write(big, new byte[(int) FingerprintFile.FILE_BYTES_MAX + 1]);
    FingerprintFileException e =
        assertThrows(FingerprintFileException.class, () -> FingerprintFile.read(big));
    assertTrue(e.getMessage().contains("limit"), e.getMessage());
  }
}
