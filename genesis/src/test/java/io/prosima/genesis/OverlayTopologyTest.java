package io.prosima.genesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.OverlayEdge;
import io.prosima.proto.v1.Validator;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverlayTopologyTest {
  private static Genesis genesis(int validators, int regions, long seed) throws GenesisException {
    return new GenesisBuilder()
        .validators(validators)
        .regions(regions)
        .topologySeed(seed)
        .build(new SecureRandom())
        .genesis();
  }

  @Test
  void everyBuiltOverlayIsConnectedWithoutCutVerticesAndCapsWeightsBelowAThird() throws Exception {
    for (int n = 1; n <= 24; n++) {
      for (int r = 1; r <= Math.min(n, 5); r++) {
        for (long seed = 0; seed < 8; seed++) {
          String where = "n=" + n + " regions=" + r + " seed=" + seed;
          Genesis g = genesis(n, r, seed); // build() runs GenesisRules, overlay included
          assertNull(OverlayRules.problem(g), where);
          long total = g.getValidatorsList().stream().mapToLong(Validator::getVotingWeight).sum();
          if (n >= 4) {
            for (Validator v : g.getValidatorsList()) {
              assertTrue(3 * v.getVotingWeight() < total, where + " " + v.getName());
            }
          }
        }
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameGraphAndAnotherSeedAnotherOne() throws Exception {
    assertEquals(genesis(20, 3, 42).getOverlayList(), genesis(20, 3, 42).getOverlayList());
    assertNotEquals(genesis(20, 3, 42).getOverlayList(), genesis(20, 3, 43).getOverlayList());
  }

  @Test
  void aLargeRegionGrowsHubsAsPreferentialAttachmentShould() throws Exception {
    Genesis g = genesis(60, 1, 7);
    Map<String, Integer> degree =
        OverlayTopology.degrees(
            g.getValidatorsList().stream().map(Validator::getName).toList(), g.getOverlayList());
    int max = Collections.max(degree.values());
    int min = Collections.min(degree.values());
    assertEquals(2, min, "every later node attaches with two edges");
    assertTrue(max >= 4 * min, "max degree " + max + " shows no hub");
  }

  @Test
  void regionsAreJoinedByLinksBetweenTheirHighestDegreeNodes() throws Exception {
    Genesis g = genesis(12, 2, 3);
    Map<String, String> region = new LinkedHashMap<>();
    g.getValidatorsList().forEach(v -> region.put(v.getName(), v.getRegion()));
    Map<String, Integer> degree = OverlayTopology.degrees(region.keySet(), g.getOverlayList());
    List<OverlayEdge> cross =
        g.getOverlayList().stream()
            .filter(e -> !region.get(e.getA()).equals(region.get(e.getB())))
            .toList();
    assertEquals(2, cross.size());
    for (OverlayEdge e : cross) {
      for (String end : List.of(e.getA(), e.getB())) {
        long higher =
            region.keySet().stream()
                .filter(
                    v ->
                        region.get(v).equals(region.get(end))
                            && degree.get(v) - 1 > degree.get(end) - 1)
                .count();
        // An endpoint is its region's first or second hub (its own degree counts the link too).
        assertTrue(higher <= 2, end + " is not a hub of " + region.get(end));
      }
    }
  }

  @Test
  void genesisRefusesADisconnectedOverlayOrOneWithACutVertex() throws Exception {
    Genesis good = genesis(6, 2, 1);
    // Keep only a path: every inner node of a path is a cut vertex.
    Genesis path =
        good.toBuilder()
            .clearOverlay()
            .addOverlay(edge("validator-0", "validator-1"))
            .addOverlay(edge("validator-1", "validator-2"))
            .addOverlay(edge("validator-2", "validator-3"))
            .addOverlay(edge("validator-3", "validator-4"))
            .addOverlay(edge("validator-4", "validator-5"))
            .setWeighting("equal")
            .clearValidators()
            .addAllValidators(
                good.getValidatorsList().stream()
                    .map(v -> v.toBuilder().setVotingWeight(1).build())
                    .toList())
            .build();
    assertRefused(path, "would disconnect");
    assertRefused(path.toBuilder().removeOverlay(2).build(), "disconnected");
    assertRefused(
        good.toBuilder().addOverlay(edge("validator-0", "nobody")).build(), "unknown validator");
    assertRefused(good.toBuilder().addOverlay(good.getOverlay(0)).build(), "listed twice");
    assertRefused(
        good.toBuilder()
            .setValidators(
                0,
                good.getValidators(0).toBuilder()
                    .setVotingWeight(good.getValidators(0).getVotingWeight() + 1))
            .build(),
        "weighting is degree");
    assertRefused(good.toBuilder().setWeighting("random").build(), "weighting must be");
  }

  private static OverlayEdge edge(String a, String b) {
    return OverlayEdge.newBuilder().setA(a).setB(b).build();
  }

  private static void assertRefused(Genesis g, String expected) {
    GenesisException e = assertThrows(GenesisException.class, () -> GenesisRules.check(g));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
