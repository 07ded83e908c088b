package io.prosima.node.federation;

import io.prosima.proto.v1.ModelAnchor;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Whether a global model {@code gN+1} was anchored by a participant that {@link RoundRules}
 * entitled to aggregate round N at the height it committed: the round's own aggregator at any
 * height, the participant at takeover step k only after {@code gN}'s height + deadline + k takeover
 * periods. Its metadata must say who aggregated and at which step ({@code aggregator_key}, {@code
 * takeover}, {@code entitled_after}) and carry {@code gN}'s rules unchanged, so a stand-in cannot
 * rewrite the federation. One check for the party that loads a model and for the auditor ({@link
 * Lineage}).
 */
public final class AggregatorCheck {
  private AggregatorCheck() {}

  /** Why {@code ref} breaks the takeover rule, or null (also for anything but a gN with N >= 1). */
  public static String problem(String ref, Lineage.Anchored next, Lineage.Chain chain) {
    ModelAnchor m = next.anchor();
    long round = RoundNames.globalRound(m.getVersion()) - 1;
    if (round < 0) {
      return null;
    }
    String previousRef = RoundNames.ref(m.getModelId(), RoundNames.global(round));
    Optional<Lineage.Anchored> previous = chain.anchor(previousRef);
    if (previous.isEmpty()) {
      return ref + " follows " + previousRef + ", which is not anchored";
    }
    RoundMetadata.Rules rules;
    RoundMetadata meta;
    try {
      rules = RoundMetadata.parse(previous.get().anchor().getTrainingMetadata()).rules();
      meta = RoundMetadata.parse(m.getTrainingMetadata());
      if (!meta.kind().equals("global")
          || meta.round() != round + 1
          || !meta.get("previous").equals(previousRef)) {
        return ref + ": bad metadata: not the global model following " + previousRef;
      }
      if (!meta.rules().equals(rules)) {
        return ref + ": bad metadata: the rules of " + previousRef + " are not carried unchanged";
      }
      return entitlement(ref, next, previous.get().height(), rules, round, meta);
    } catch (IllegalArgumentException e) {
      return ref + ": bad metadata: " + e.getMessage();
    }
  }

  private static String entitlement(
      String ref,
      Lineage.Anchored next,
      long previousHeight,
      RoundMetadata.Rules rules,
      long round,
      RoundMetadata meta) {
    int step = RoundRules.takeoverStep(rules.participants(), round, next.signer());
    if (step < 0) {
      return ref + " was anchored by a key that is not a participant of round " + round;
    }
    long after =
        RoundRules.entitledAfter(
            previousHeight, rules.deadlineBlocks(), rules.takeoverBlocks(), step);
    if (!meta.get("aggregator_key").equals(HexFormat.of().formatHex(next.signer().toByteArray()))
        || meta.number("takeover") != step
        || meta.number("entitled_after") != after) {
      return ref
          + ": bad metadata: aggregator_key, takeover or entitled_after do not match its signer"
          + " (takeover step "
          + step
          + ", entitled after height "
          + after
          + ")";
    }
    if (next.height() <= after) {
      return ref
          + " was anchored at height "
          + next.height()
          + " by takeover step "
          + step
          + " of round "
          + round
          + ", which is entitled to aggregate only after height "
          + after;
    }
    return null;
  }
}
