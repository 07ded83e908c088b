package io.prosima.proto.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.prosima.proto.v1.AccessLog;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.BlockHeader;
import io.prosima.proto.v1.ImageAnchor;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.TileLeaf;
import io.prosima.proto.v1.Transaction;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CanonicalTest {
  private static Block blockOf(int txs) {
    Block.Builder b =
        Block.newBuilder()
            .setHeader(BlockHeader.newBuilder().setChainId("c").setHeight(7).setTxCount(txs));
    for (int i = 0; i < txs; i++) {
      b.addTxs(
          Transaction.newBuilder()
              .setNonce(i + 1)
              .setSigner(ByteString.copyFrom(new byte[32]))
              .setPayload(
                  Payload.newBuilder()
                      .setAccessLog(
                          AccessLog.newBuilder().setImageId("image-" + i).setAction("read"))));
    }
    return b.build();
  }

  @Test
  void streamedHashIsTheHashOfTheCanonicalBytes() {
    // Past the stream's 64 KiB buffer, so the flushes in between are covered too.
    for (int txs : new int[] {0, 1, 3000}) {
      Block block = blockOf(txs);
      assertArrayEquals(Sha256.hash(Canonical.bytes(block)), Canonical.sha256(block), "txs " + txs);
    }
  }

  @Test
  void digestsFromTheClonedPrototypeAreIndependent() {
    var a = Sha256.digest();
    var b = Sha256.digest();
    a.update(new byte[] {1, 2, 3});
    assertArrayEquals(Sha256.hash(new byte[0]), b.digest());
    assertArrayEquals(
        HexFormat.of().parseHex("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81"),
        a.digest());
  }

  @Test
  void unknownFieldsAreFoundAtAnyDepthIncludingInsideARepeatedField() {
    UnknownFieldSet extra =
        UnknownFieldSet.newBuilder()
            .addField(77, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
            .build();
    ImageAnchor.Builder anchor = ImageAnchor.newBuilder().setImageId("a");
    for (int i = 0; i < 4; i++) {
      anchor.addLeaves(TileLeaf.newBuilder().setIndex(i));
    }
    Transaction clean =
        Transaction.newBuilder()
            .setNonce(1)
            .setPayload(Payload.newBuilder().setImageAnchor(anchor))
            .build();
    assertFalse(Canonical.hasUnknownFields(clean));

    ImageAnchor.Builder dirtyAnchor = anchor.clone();
    dirtyAnchor.setLeaves(3, dirtyAnchor.getLeaves(3).toBuilder().setUnknownFields(extra));
    Transaction inLeaf =
        clean.toBuilder().setPayload(Payload.newBuilder().setImageAnchor(dirtyAnchor)).build();
    assertTrue(Canonical.hasUnknownFields(inLeaf));

    Transaction inPayload =
        clean.toBuilder()
            .setPayload(clean.getPayload().toBuilder().setUnknownFields(extra))
            .build();
    assertTrue(Canonical.hasUnknownFields(inPayload));
    assertTrue(Canonical.hasUnknownFields(clean.toBuilder().setUnknownFields(extra).build()));
  }
}
