package io.prosima.node.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.ModelAnchor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LineageTest {
  final Map<String, Lineage.Anchored> chain = new HashMap<>();

  void anchor(String ref, long height, String... parents) {
    int at = ref.indexOf('@');
    chain.put(
        ref,
        new Lineage.Anchored(
            ModelAnchor.newBuilder()
                .setModelId(ref.substring(0, at))
                .setVersion(ref.substring(at + 1))
                .setWeightsSha256(ByteString.copyFrom(new byte[32]))
                .addAllParents(List.of(parents))
                .build(),
            height));
  }

  Lineage.Result walk(String ref) {
    return Lineage.walk(ref, r -> Optional.ofNullable(chain.get(r)));
  }

  @Test
  void aTwoRoundLineageWalksBackToTheStartingModel() {
    anchor("m@g0", 1);
    anchor("m@u0.a", 2, "m@g0");
    anchor("m@u0.b", 3, "m@g0");
    anchor("m@g1", 4, "m@u0.a", "m@u0.b");
    anchor("m@u1.a", 5, "m@g1");
    anchor("m@g2", 6, "m@u1.a");
    Lineage.Result r = walk("m@g2");
    assertTrue(r.ok(), r.problem());
    assertEquals(6, r.nodes().size());
    assertEquals("m@g2", r.nodes().get(0).ref());
  }

  @Test
  void aMissingParentOrAParentAnchoredLaterBreaksTheLineage() {
    anchor("m@g1", 4, "m@u0.a");
    Lineage.Result r = walk("m@g1");
    assertFalse(r.ok());
    assertTrue(r.problem().contains("m@u0.a"), r.problem());

    anchor("m@u0.a", 9);
    assertTrue(walk("m@g1").problem().contains("after it"));
    assertTrue(walk("m@nothing").problem().contains("not anchored"));
  }
}
