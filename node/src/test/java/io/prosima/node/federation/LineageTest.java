package io.prosima.node.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.ModelAnchor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LineageTest {
  // Participants sorted: A, B, C. Round 0 rotation A, B, C; round 1 B, C, A.
  static final ByteString A = RoundRulesTest.key(0x01);
  static final ByteString B = RoundRulesTest.key(0x40);
  static final ByteString C = RoundRulesTest.key(0x90);
  static final ByteString OUTSIDER = RoundRulesTest.key(0x02);
  static final long DEADLINE = 10;
  static final long TAKEOVER = 5;

  final Map<String, Lineage.Anchored> chain = new HashMap<>();

  void anchor(String ref, long height, ByteString signer, String metadata, String... parents) {
    int at = ref.indexOf('@');
    chain.put(
        ref,
        new Lineage.Anchored(
            ModelAnchor.newBuilder()
                .setModelId(ref.substring(0, at))
                .setVersion(ref.substring(at + 1))
                .setWeightsSha256(ByteString.copyFrom(new byte[32]))
                .addAllParents(List.of(parents))
                .setTrainingMetadata(metadata)
                .build(),
            height,
            signer));
  }

  void anchor(String ref, long height, String... parents) {
    anchor(ref, height, A, "", parents);
  }

  static List<String> rules(long quorum) {
    return List.of(
        "participants",
        RoundMetadata.hexList(List.of(C, A, B)),
        "quorum",
        Long.toString(quorum),
        "deadline_blocks",
        Long.toString(DEADLINE),
        "takeover_blocks",
        Long.toString(TAKEOVER));
  }

  static String g0() {
    List<String> kv = new ArrayList<>(List.of("kind", "global", "round", "0"));
    kv.addAll(rules(1));
    return RoundMetadata.text(kv.toArray(String[]::new));
  }

  /** gN's metadata as an aggregator writes it, claiming {@code step} and {@code after}. */
  static String next(long round, ByteString aggregator, long step, long after, long quorum) {
    List<String> kv = new ArrayList<>(List.of("kind", "global", "round", Long.toString(round)));
    kv.addAll(rules(quorum));
    kv.addAll(
        List.of(
            "previous",
            "m@g" + (round - 1),
            "aggregator",
            "someone",
            "aggregator_key",
            HexFormat.of().formatHex(aggregator.toByteArray()),
            "takeover",
            Long.toString(step),
            "entitled_after",
            Long.toString(after)));
    return RoundMetadata.text(kv.toArray(String[]::new));
  }

  Lineage.Result walk(String ref) {
    return Lineage.walk(ref, r -> Optional.ofNullable(chain.get(r)));
  }

  /** g0 at height 1 and B's update of round 0 at height 2. */
  void roundZero() {
    anchor("m@g0", 1, A, g0());
    anchor("m@u0.b", 2, B, "", "m@g0");
  }

  @Test
  void aTwoRoundLineageWalksBackToTheStartingModel() {
    anchor("m@g0", 1, A, g0());
    anchor("m@u0.a", 2, "m@g0");
    anchor("m@u0.b", 3, "m@g0");
    anchor("m@g1", 4, A, next(1, A, 0, 1, 1), "m@u0.a", "m@u0.b");
    anchor("m@u1.a", 5, "m@g1");
    anchor("m@g2", 6, B, next(2, B, 0, 4, 1), "m@u1.a");
    Lineage.Result r = walk("m@g2");
    assertTrue(r.ok(), r.problem());
    assertEquals(6, r.nodes().size());
    assertEquals("m@g2", r.nodes().get(0).ref());
  }

  @Test
  void aMissingParentOrAParentAnchoredLaterBreaksTheLineage() {
    anchor("m@x1", 4, "m@u0.a");
    Lineage.Result r = walk("m@x1");
    assertFalse(r.ok());
    assertTrue(r.problem().contains("m@u0.a"), r.problem());

    anchor("m@u0.a", 9);
    assertTrue(walk("m@x1").problem().contains("after it"));
    assertTrue(walk("m@nothing").problem().contains("not anchored"));
  }

  @Test
  void aStandInAggregateChecksOnlyAfterItsTakeoverHeight() {
    roundZero();
    // g0 at 1, deadline 10, period 5: B (step 1) is entitled after 16, C (step 2) after 21.
    anchor("m@g1", 17, B, next(1, B, 1, 16, 1), "m@u0.b");
    assertNull(walk("m@g1").problem());
    anchor("m@g1", 22, C, next(1, C, 2, 21, 1), "m@u0.b");
    assertNull(walk("m@g1").problem());
    // The round's own aggregator is entitled at any height, also after the takeover heights.
    anchor("m@g1", 40, A, next(1, A, 0, 1, 1), "m@u0.b");
    assertNull(walk("m@g1").problem());
  }

  @Test
  void aStandInThatAnchoredBeforeItsTurnBreaksTheLineage() {
    roundZero();
    anchor("m@g1", 16, B, next(1, B, 1, 16, 1), "m@u0.b");
    String problem = walk("m@g1").problem();
    assertTrue(
        problem != null
            && problem.contains("anchored at height 16 by takeover step 1")
            && problem.contains("only after height 16"),
        problem);
    // C at a height where only B was entitled.
    anchor("m@g1", 20, C, next(1, C, 2, 21, 1), "m@u0.b");
    assertTrue(walk("m@g1").problem().contains("only after height 21"), walk("m@g1").problem());
  }

  @Test
  void aStandInCannotClaimAnEarlierStepOrAnotherKeyOrNewRules() {
    roundZero();
    // C claims to be step 1 (B's) to look entitled at 17.
    anchor("m@g1", 17, C, next(1, C, 1, 16, 1), "m@u0.b");
    assertTrue(walk("m@g1").problem().contains("bad metadata"), walk("m@g1").problem());
    // B signs but names A as the aggregator.
    anchor("m@g1", 17, B, next(1, A, 0, 1, 1), "m@u0.b");
    assertTrue(walk("m@g1").problem().contains("bad metadata"), walk("m@g1").problem());
    // B, entitled, lowers the quorum for the rounds to come.
    anchor("m@g1", 17, B, next(1, B, 1, 16, 2), "m@u0.b");
    assertTrue(walk("m@g1").problem().contains("not carried"), walk("m@g1").problem());
    // No aggregator fields at all.
    List<String> kv = new ArrayList<>(List.of("kind", "global", "round", "1"));
    kv.addAll(rules(1));
    kv.addAll(List.of("previous", "m@g0"));
    anchor("m@g1", 17, B, RoundMetadata.text(kv.toArray(String[]::new)), "m@u0.b");
    assertTrue(walk("m@g1").problem().contains("bad metadata"), walk("m@g1").problem());
    // Not federated metadata at all.
    anchor("m@g1", 17, B, "", "m@u0.b");
    assertTrue(walk("m@g1").problem().contains("bad metadata"), walk("m@g1").problem());
  }

  @Test
  void aGlobalAnchoredByANonParticipantOrWithoutItsPreviousGlobalBreaksTheLineage() {
    roundZero();
    anchor("m@g1", 40, OUTSIDER, next(1, OUTSIDER, 0, 1, 1), "m@u0.b");
    assertTrue(walk("m@g1").problem().contains("not a participant"), walk("m@g1").problem());
    anchor("m@u1.b", 41, B, "", "m@g1");
    anchor("m@g2", 50, B, next(2, B, 0, 40, 1), "m@u1.b");
    chain.remove("m@g1");
    assertTrue(walk("m@g2").problem().contains("m@g1"), walk("m@g2").problem());
  }
}
