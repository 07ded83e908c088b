package io.prosima.testnet.sim;

import io.prosima.genesis.GenesisException;
import io.prosima.genesis.KeyGenerator;
import io.prosima.genesis.MemberCards;
import io.prosima.genesis.ValidatorChanges;
import io.prosima.genesis.ValidatorSets;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.OverlayEdge;
import io.prosima.proto.v1.Role;
import io.prosima.proto.v1.Validator;
import io.prosima.proto.v1.ValidatorChangeBody;
import io.prosima.proto.v1.ValidatorEpoch;
import io.prosima.proto.v1.ValidatorHistory;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Validator changes during a run (issue 17): a new honest validator joins (an operator submits the
 * approved change at {@code joinAtMs}; the joining node starts then, from genesis and its key, and
 * syncs), then a genesis validator leaves (submitted at {@code leaveAtMs}, once the join is in
 * force; with a repairing edge if its going alone would cut the overlay). The changes are made by
 * the ledger's own rule ({@link ValidatorChanges}); this class only picks them so the run stays
 * meaningful: the joiner is linked to two honest validators, the leaver is a Byzantine validator if
 * there is one (else an honest one the rule accepts), and the Byzantine count stays below a third
 * of every set (changed sets weigh by the genesis rule, here equal).
 */
record Membership(
    long joinAtMs,
    long leaveAtMs,
    KeyFile joinerKey,
    ValidatorChangeBody join,
    int leaver,
    ValidatorChangeBody leave) {

  /** The plan for a run, or null when no change keeps the run's fault assumptions. */
  static Membership plan(SimConfig config, Genesis genesis, long seed) {
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
    int n = genesis.getValidatorsCount();
    List<Integer> honest = new ArrayList<>();
    List<Integer> byzantine = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (config.byzantine()[i].twins()) {
        return null; // twins split their validator's links; changes keep one instance each
      }
      (config.isByzantine(i) ? byzantine : honest).add(i);
    }
    // Weights become equal at the first change: the Byzantine count must stay below a third.
    if (3 * byzantine.size() >= n + 1 || honest.size() < 2) {
      return null;
    }
    KeyFile key = joinerKey(n);
    Validator joiner;
    try {
      joiner =
          ValidatorChanges.joining(
              MemberCards.of(
                  key,
                  genesis.getValidators(honest.get(0)).getRegion(),
                  "127.0.0.1:" + (30_000 + 2 * n),
                  "127.0.0.1:" + (30_001 + 2 * n)));
    } catch (GenesisException e) {
      throw new IllegalStateException("simulated joiner card: " + e.getMessage(), e);
    }
    int a = honest.get(rng.nextInt(honest.size()));
    int b;
    do {
      b = honest.get(rng.nextInt(honest.size()));
    } while (b == a);
    ValidatorChangeBody join =
        ValidatorChangeBody.newBuilder()
            .setSequence(0)
            .setAdd(joiner)
            .addAddEdges(edge(joiner.getName(), genesis.getValidators(a).getName()))
            .addAddEdges(edge(joiner.getName(), genesis.getValidators(b).getName()))
            .build();
    var joined = ValidatorChanges.apply(genesis, ValidatorSets.genesisOnly(genesis).latest(), join);
    if (!(joined instanceof ValidatorChanges.Applied applied)) {
      throw new IllegalStateException("simulated join refused: " + joined);
    }
    int leaver = -1;
    ValidatorChangeBody leave = null;
    // A Byzantine validator leaves if there is one (the honest overlay is untouched); else an
    // honest one, with one new edge among the others when its going alone would cut the overlay.
    List<Integer> candidates = new ArrayList<>(byzantine.isEmpty() ? honest : byzantine);
    ValidatorSets afterJoin =
        ValidatorSets.of(
            genesis,
            ValidatorHistory.newBuilder()
                .addEpochs(
                    ValidatorEpoch.newBuilder()
                        .setFromHeight(2)
                        .addAllValidators(applied.validators())
                        .addAllOverlay(applied.overlay()))
                .build());
    for (int i = candidates.size() - 1; i >= 0 && leave == null; i--) {
      int c = candidates.get(rng.nextInt(candidates.size()));
      if (c == a || c == b) {
        continue; // the joiner's links stay
      }
      leave = leaveKeepingTwoConnected(genesis, afterJoin.latest(), c, byzantine.isEmpty());
      leaver = leave == null ? -1 : c;
    }
    long joinAt = rng.nextLong(100, Math.max(101, config.faultsEndMs()));
    long leaveAt = joinAt + rng.nextLong(500, 1_500);
    return new Membership(joinAt, leaveAt, key, join, leaver, leave);
  }

  /**
   * The removal of genesis validator {@code c} (the second change of the run); with {@code repair},
   * one new edge among the others when its going alone would leave a cut vertex. Null when the rule
   * refuses it.
   */
  static ValidatorChangeBody leaveKeepingTwoConnected(
      Genesis genesis, ValidatorSets.Epoch current, int c, boolean repair) {
    ValidatorChangeBody bare =
        ValidatorChangeBody.newBuilder()
            .setSequence(1)
            .setRemove(genesis.getValidators(c).getPublicKey())
            .build();
    List<ValidatorChangeBody> tries = new ArrayList<>(List.of(bare));
    if (repair) {
      List<String> names = new ArrayList<>();
      current.validators().forEach(v -> names.add(v.getName()));
      names.remove(genesis.getValidators(c).getName());
      for (int i = 0; i < names.size(); i++) {
        for (int j = i + 1; j < names.size(); j++) {
          tries.add(bare.toBuilder().addAddEdges(edge(names.get(i), names.get(j))).build());
        }
      }
    }
    for (ValidatorChangeBody t : tries) {
      if (ValidatorChanges.apply(genesis, current, t) instanceof ValidatorChanges.Applied) {
        return t;
      }
    }
    return null;
  }

  /** The joiner's key: from a generator seeded with the validator count, like the genesis keys. */
  static KeyFile joinerKey(int n) {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(("prosima-sim-joiner-" + n).getBytes(StandardCharsets.UTF_8));
      return KeyGenerator.newKey("validator-" + n, Role.ROLE_UNSPECIFIED, true, random);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static OverlayEdge edge(String a, String b) {
    return OverlayEdge.newBuilder().setA(a).setB(b).build();
  }
}
