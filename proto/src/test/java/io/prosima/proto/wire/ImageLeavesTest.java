package io.prosima.proto.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.TileLeaf;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageLeavesTest {
  private static final byte[] CONTENT = filled(32, (byte) 0x11);

  // Expected values from Python's hashlib, following the formula in ImageLeaves' comment:
  // sha256(b"prosima/tile/v1\0" + u32be(index) + content + sha256(latent + f32be(scale))).
  private static final String LEAF_3 =
      "a3f3ceb18795d3a6a1244374408a85d426dfe3c2d32c8956523e01cfb39da579";
  private static final String LEAF_0_EMPTY_LATENT =
      "00ebffc04eebf7ef4d6c43d7b49d9ecdf57036fc577f509ed9651457ff4c6745";

  @Test
  void leavesMatchAnIndependentComputation() {
    byte[] latent = new byte[64];
    for (int i = 0; i < latent.length; i++) {
      latent[i] = (byte) i;
    }
    TileLeaf withLatent = tile(3, latent, 0.5f);
    TileLeaf empty = tile(0, new byte[0], 0f);

    assertEquals(LEAF_3, HexFormat.of().formatHex(ImageLeaves.leaf(withLatent)));
    assertEquals(LEAF_0_EMPTY_LATENT, HexFormat.of().formatHex(ImageLeaves.leaf(empty)));
    // The batch path reuses one digest across leaves; it must give the same bytes.
    List<byte[]> both = ImageLeaves.leaves(List.of(withLatent, empty, withLatent));
    assertEquals(LEAF_3, HexFormat.of().formatHex(both.get(0)));
    assertEquals(LEAF_0_EMPTY_LATENT, HexFormat.of().formatHex(both.get(1)));
    assertEquals(LEAF_3, HexFormat.of().formatHex(both.get(2)));
    assertArrayEquals(
        MerkleTree.root(List.of(ImageLeaves.leaf(withLatent), ImageLeaves.leaf(empty))),
        ImageLeaves.root(List.of(withLatent, empty)));
  }

  private static TileLeaf tile(int index, byte[] latent, float scale) {
    return TileLeaf.newBuilder()
        .setIndex(index)
        .setContentHash(ByteString.copyFrom(CONTENT))
        .setLatent(ByteString.copyFrom(latent))
        .setLatentScale(scale)
        .build();
  }

  private static byte[] filled(int n, byte b) {
    byte[] out = new byte[n];
    java.util.Arrays.fill(out, b);
    return out;
  }
}
