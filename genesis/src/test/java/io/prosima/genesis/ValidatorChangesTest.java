package io.prosima.genesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.OverlayEdge;
import io.prosima.proto.v1.Role;
import io.prosima.proto.v1.Validator;
import io.prosima.proto.v1.ValidatorChangeBody;
import io.prosima.proto.v1.ValidatorEpoch;
import io.prosima.proto.v1.ValidatorHistory;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 17 item 4: what a validator change makes of the set, by the genesis rules. */
class ValidatorChangesTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static Genesis genesis(int validators) throws Exception {
    return new GenesisBuilder().validators(validators).regions(1).build(RANDOM).genesis();
  }

  private static Validator newcomer(String name, int port) throws Exception {
    return ValidatorChanges.joining(
        MemberCards.of(
            KeyGenerator.newKey(name, Role.ROLE_UNSPECIFIED, true, RANDOM),
            "region-0",
            "127.0.0.1:" + port,
            "127.0.0.1:" + (port + 1)));
  }

  private static OverlayEdge edge(String a, String b) {
    return OverlayEdge.newBuilder().setA(a).setB(b).build();
  }

  private static ValidatorChangeBody.Builder addWithEdges(Validator v, String... to) {
    ValidatorChangeBody.Builder b = ValidatorChangeBody.newBuilder().setAdd(v);
    for (String n : to) {
      b.addAddEdges(edge(v.getName(), n));
    }
    return b;
  }

  @Test
  void aJoiningValidatorWithTwoEdgesGetsItsDegreeAsWeightAndTheOthersAreReweighted()
      throws Exception {
    Genesis g = genesis(4);
    Validator v = newcomer("validator-new", 40000);
    var r =
        ValidatorChanges.apply(
            g,
            ValidatorSets.genesisOnly(g).latest(),
            addWithEdges(v, "validator-0", "validator-1").build());
    var applied = assertInstanceOf(ValidatorChanges.Applied.class, r);
    assertEquals(5, applied.validators().size());
    assertEquals(g.getOverlayCount() + 2, applied.overlay().size());
    var names = applied.validators().stream().map(Validator::getName).toList();
    var expected = OverlayTopology.degreeWeights(OverlayTopology.degrees(names, applied.overlay()));
    for (Validator x : applied.validators()) {
      assertEquals(expected.get(x.getName()), x.getVotingWeight(), x.getName());
    }
    // The same rule a genesis passes: a genesis made of the result is valid.
    GenesisRules.check(
        g.toBuilder()
            .clearValidators()
            .addAllValidators(applied.validators())
            .clearOverlay()
            .addAllOverlay(applied.overlay())
            .build());
  }

  @Test
  void aJoiningValidatorWithOneEdgeIsRefusedAsACutVertexWouldAppear() throws Exception {
    Genesis g = genesis(4);
    Validator v = newcomer("validator-new", 40000);
    var r =
        ValidatorChanges.apply(
            g, ValidatorSets.genesisOnly(g).latest(), addWithEdges(v, "validator-0").build());
    var refused = assertInstanceOf(ValidatorChanges.Refused.class, r);
    assertTrue(refused.reason().contains("would disconnect the overlay"), refused.reason());
  }

  @Test
  void aJoiningValidatorReusingAKeyAnAddressOrANameIsRefused() throws Exception {
    Genesis g = genesis(4);
    var current = ValidatorSets.genesisOnly(g).latest();
    Validator fresh = newcomer("validator-new", 40000);
    Validator sameKey = fresh.toBuilder().setPublicKey(g.getValidators(0).getPublicKey()).build();
    Validator sameAddress =
        fresh.toBuilder().setP2PAddress(g.getValidators(1).getP2PAddress()).build();
    Validator sameName = fresh.toBuilder().setName("validator-2").build();
    for (Validator bad : List.of(sameKey, sameAddress, sameName)) {
      var r =
          ValidatorChanges.apply(
              g, current, addWithEdges(bad, "validator-0", "validator-1").build());
      assertInstanceOf(ValidatorChanges.Refused.class, r, bad.toString());
    }
    var weighted =
        ValidatorChanges.apply(
            g,
            current,
            addWithEdges(fresh.toBuilder().setVotingWeight(7).build(), "validator-0", "validator-1")
                .build());
    assertTrue(
        assertInstanceOf(ValidatorChanges.Refused.class, weighted)
            .reason()
            .contains("voting_weight"));
  }

  @Test
  void aRemovalThatWouldLeaveFewerThanFourValidatorsIsRefused() throws Exception {
    Genesis g = genesis(4);
    var r =
        ValidatorChanges.apply(
            g,
            ValidatorSets.genesisOnly(g).latest(),
            ValidatorChangeBody.newBuilder().setRemove(g.getValidators(0).getPublicKey()).build());
    assertTrue(assertInstanceOf(ValidatorChanges.Refused.class, r).reason().contains("at least 4"));
  }

  @Test
  void aRemovalTakesTheLeaversEdgesAndMustLeaveATwoConnectedOverlay() throws Exception {
    Genesis g = genesis(6);
    var current = ValidatorSets.genesisOnly(g).latest();
    Validator leaving = g.getValidators(5);
    var r =
        ValidatorChanges.apply(
            g, current, ValidatorChangeBody.newBuilder().setRemove(leaving.getPublicKey()).build());
    if (r instanceof ValidatorChanges.Applied a) {
      assertEquals(5, a.validators().size());
      assertTrue(
          a.overlay().stream()
              .noneMatch(
                  e -> e.getA().equals(leaving.getName()) || e.getB().equals(leaving.getName())));
    } else {
      // Only when the leaver's going leaves a cut vertex; then the refusal says so.
      assertTrue(((ValidatorChanges.Refused) r).reason().contains("disconnect"), r.toString());
    }
  }

  @Test
  void anEdgeToRemoveThatIsNotThereIsRefusedAndAnEmptyChangeToo() throws Exception {
    Genesis g = genesis(4);
    var current = ValidatorSets.genesisOnly(g).latest();
    var r =
        ValidatorChanges.apply(
            g,
            current,
            ValidatorChangeBody.newBuilder().addRemoveEdges(edge("validator-0", "nobody")).build());
    assertTrue(
        assertInstanceOf(ValidatorChanges.Refused.class, r)
            .reason()
            .contains("not in the overlay"));
    assertInstanceOf(
        ValidatorChanges.Refused.class,
        ValidatorChanges.apply(g, current, ValidatorChangeBody.getDefaultInstance()));
  }

  @Test
  void theSetOfAHeightIsTheEpochInForceThenAndOldEpochsStay() throws Exception {
    Genesis g = genesis(4);
    Validator v = newcomer("validator-new", 40000);
    var applied =
        (ValidatorChanges.Applied)
            ValidatorChanges.apply(
                g,
                ValidatorSets.genesisOnly(g).latest(),
                addWithEdges(v, "validator-0", "validator-1").build());
    ValidatorSets sets =
        ValidatorSets.of(
            g,
            ValidatorHistory.newBuilder()
                .addEpochs(
                    ValidatorEpoch.newBuilder()
                        .setFromHeight(14)
                        .setChangedAtHeight(10)
                        .addAllValidators(applied.validators())
                        .addAllOverlay(applied.overlay()))
                .build());
    assertEquals(4, sets.at(1).size());
    assertEquals(4, sets.at(13).size());
    assertEquals(5, sets.at(14).size());
    assertEquals(5, sets.at(1_000).size());
    assertSame(sets.epochs().get(0), sets.epochAt(0));
    assertEquals(1, sets.changes());
    assertTrue(sets.keysFrom(12).contains(v.getPublicKey()), "a joiner is known before it signs");
    assertTrue(sets.at(13).get(v.getPublicKey()).isEmpty());
  }
}
