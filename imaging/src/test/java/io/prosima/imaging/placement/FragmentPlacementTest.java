package io.prosima.imaging.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FragmentPlacementTest {
  private static final long SEED = 424242L;

  private static List<PlacementNode> nodes(Random rnd, int n, int regions) {
    List<PlacementNode> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] key = new byte[32];
      rnd.nextBytes(key);
      out.add(new PlacementNode(key, "r" + (i % regions)));
    }
    return out;
  }

  @Test
  void theSameInputsGiveTheSameNodesWhateverTheOrderOfTheValidatorList() {
    Random rnd = new Random(SEED);
    List<PlacementNode> set = nodes(rnd, 20, 4);
    for (int t = 0; t < 200; t++) {
      List<PlacementNode> a = FragmentPlacement.choose("img-" + t, t % 16, set, "r1", 7);
      List<PlacementNode> shuffled = new ArrayList<>(set);
      Collections.shuffle(shuffled, rnd);
      assertEquals(a, FragmentPlacement.choose("img-" + t, t % 16, shuffled, "r1", 7));
    }
  }

  @Test
  void theChosenNodesAreDistinctAndTheUploadersRegionComesFirst() {
    Random rnd = new Random(SEED + 1);
    List<PlacementNode> set = nodes(rnd, 20, 4); // 5 per region
    for (int t = 0; t < 300; t++) {
      for (int s : new int[] {1, 3, 5, 8, 20}) {
        List<PlacementNode> chosen = FragmentPlacement.choose("img", t, set, "r2", s);
        assertEquals(s, chosen.size());
        assertEquals(s, new HashSet<>(chosen).size(), "seed=" + (SEED + 1) + " s=" + s);
        int local = Math.min(s, 5);
        for (int i = 0; i < s; i++) {
          assertEquals(i < local, chosen.get(i).region().equals("r2"), "slot " + i + " s=" + s);
        }
      }
    }
  }

  @Test
  void aJoiningNodeChangesOnlyTheTilesItIsChosenFor() {
    Random rnd = new Random(SEED + 2);
    List<PlacementNode> set = nodes(rnd, 20, 4);
    List<PlacementNode> bigger = new ArrayList<>(set);
    PlacementNode newcomer = nodes(rnd, 1, 1).get(0);
    bigger.add(new PlacementNode(newcomer.publicKey(), "r3"));
    int changed = 0;
    for (int t = 0; t < 500; t++) {
      List<PlacementNode> before = FragmentPlacement.choose("img-" + t, 0, set, "r0", 5);
      List<PlacementNode> after = FragmentPlacement.choose("img-" + t, 0, bigger, "r0", 5);
      if (after.stream().noneMatch(n -> n.region().equals("r3") && !set.contains(n))) {
        assertEquals(before, after, "seed=" + (SEED + 2) + " tile " + t);
      } else {
        changed++;
      }
    }
    assertTrue(changed < 500, "the newcomer cannot take every tile");
  }

  @Test
  void aLeavingNodeChangesOnlyTheTilesItHeldAndOnlyItsOwnSlot() {
    Random rnd = new Random(SEED + 3);
    List<PlacementNode> set = nodes(rnd, 20, 4);
    PlacementNode leaver = set.get(7);
    List<PlacementNode> smaller = new ArrayList<>(set);
    smaller.remove(leaver);
    for (int t = 0; t < 500; t++) {
      List<PlacementNode> before = FragmentPlacement.choose("img", t, set, "r1", 10);
      List<PlacementNode> after = FragmentPlacement.choose("img", t, smaller, "r1", 10);
      if (!before.contains(leaver)) {
        assertEquals(before, after, "seed=" + (SEED + 3) + " tile " + t);
      } else {
        HashSet<PlacementNode> kept = new HashSet<>(before);
        kept.remove(leaver);
        assertTrue(after.containsAll(kept), "seed=" + (SEED + 3) + " tile " + t);
      }
    }
  }

  @Test
  void placementMovesStayNearTheIdealOfSOverNFragmentsPerTile() {
    PlacementStability.Result r = PlacementStability.measure(20, 4, 5, 300, 16, SEED + 4);
    assertTrue(
        r.movedPerTileJoin() < 2 * r.idealPerTile() && r.movedPerTileLeave() < 2 * r.idealPerTile(),
        "seed=" + (SEED + 4) + " " + r);
  }

  @Test
  void moreFragmentsThanNodesOrDuplicateNodesAreRefused() {
    Random rnd = new Random(SEED + 5);
    List<PlacementNode> set = nodes(rnd, 4, 2);
    assertThrows(
        IllegalArgumentException.class, () -> FragmentPlacement.choose("i", 0, set, "r0", 5));
    assertThrows(
        IllegalArgumentException.class, () -> FragmentPlacement.choose("i", 0, set, "r0", 0));
    List<PlacementNode> dup = new ArrayList<>(set);
    dup.add(new PlacementNode(set.get(0).publicKey(), "r1"));
    assertThrows(
        IllegalArgumentException.class, () -> FragmentPlacement.choose("i", 0, dup, "r0", 2));
    assertThrows(IllegalArgumentException.class, () -> new PlacementNode(new byte[31], "r"));
  }
}
