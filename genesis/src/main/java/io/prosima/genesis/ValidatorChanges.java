package io.prosima.genesis;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.OverlayEdge;
import io.prosima.proto.v1.Validator;
import io.prosima.proto.v1.ValidatorApproval;
import io.prosima.proto.v1.ValidatorChangeBody;
import io.prosima.proto.wire.Canonical;
import io.prosima.proto.wire.DomainTags;
import io.prosima.proto.wire.Ed25519Keys;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a validator change makes of the current set: the set and overlay after it, checked by the
 * very rules a genesis passes ({@link GenesisRules}: names, keys, addresses, regions, the 1/3 cap,
 * a 2-connected overlay) with weights given by the genesis weighting rule, so a set made on chain
 * can never be one genesis would refuse. Pure and deterministic: every node computes the same set.
 */
public final class ValidatorChanges {
  /**
   * A removal must leave at least this many validators: Byzantine fault tolerance needs 3f + 1
   * validators to survive f = 1 faulty one.
   */
  public static final int VALIDATORS_MIN_AFTER_REMOVAL = 4;

  /** Edges one change may add or remove, each. */
  public static final int EDGES_PER_CHANGE_MAX = 64;

  private ValidatorChanges() {}

  /** The outcome of applying a change to a set. */
  public sealed interface Result {}

  /** The set and overlay after the change, weights computed. */
  public record Applied(List<Validator> validators, List<OverlayEdge> overlay) implements Result {}

  /** Why the change cannot apply. */
  public record Refused(String reason) implements Result {}

  /**
   * Applies {@code change} to {@code current} (the newest set) under {@code genesis}'s weighting
   * and limits.
   */
  public static Result apply(
      Genesis genesis, ValidatorSets.Epoch current, ValidatorChangeBody change) {
    boolean add = change.hasAdd();
    boolean remove = !change.getRemove().isEmpty();
    if (add && remove) {
      return new Refused("a change may add or remove one validator, not both");
    }
    if (!add && !remove && change.getAddEdgesCount() == 0 && change.getRemoveEdgesCount() == 0) {
      return new Refused("the change changes nothing");
    }
    if (change.getAddEdgesCount() > EDGES_PER_CHANGE_MAX
        || change.getRemoveEdgesCount() > EDGES_PER_CHANGE_MAX) {
      return new Refused("a change may add or remove at most " + EDGES_PER_CHANGE_MAX + " edges");
    }
    List<Validator> validators = new ArrayList<>(current.validators());
    List<OverlayEdge> overlay = new ArrayList<>(current.overlay());
    if (add) {
      if (change.getAdd().getVotingWeight() != 0) {
        return new Refused("the joining validator's voting_weight must be 0 (the rule sets it)");
      }
      validators.add(change.getAdd());
    }
    if (remove) {
      Validator leaving = find(validators, change.getRemove());
      if (leaving == null) {
        return new Refused("the validator to remove is not in the current set");
      }
      if (validators.size() - 1 < VALIDATORS_MIN_AFTER_REMOVAL) {
        return new Refused(
            "a removal must leave at least "
                + VALIDATORS_MIN_AFTER_REMOVAL
                + " validators; the set has "
                + validators.size());
      }
      validators.remove(leaving);
      overlay.removeIf(
          e -> e.getA().equals(leaving.getName()) || e.getB().equals(leaving.getName()));
    }
    for (OverlayEdge gone : change.getRemoveEdgesList()) {
      if (!overlay.removeIf(e -> sameEdge(e, gone))) {
        return new Refused(
            "overlay edge " + gone.getA() + "-" + gone.getB() + " to remove is not in the overlay");
      }
    }
    overlay.addAll(change.getAddEdgesList());
    List<Validator> weighted = weigh(genesis.getWeighting(), validators, overlay);
    Genesis as =
        genesis.toBuilder()
            .clearValidators()
            .addAllValidators(weighted)
            .clearOverlay()
            .addAllOverlay(overlay)
            .build();
    try {
      GenesisRules.check(as);
    } catch (GenesisException e) {
      return new Refused(
          e.getMessage()
              .replaceFirst("^invalid genesis: ", "the changed validator set is invalid: "));
    }
    return new Applied(weighted, overlay);
  }

  /**
   * The joining validator a validator card describes (weight 0: the rule sets it). The card must be
   * a validator's and its self-signature must verify ({@link MemberCards#problem}).
   */
  public static Validator joining(io.prosima.proto.v1.MemberCard card) throws GenesisException {
    String problem = MemberCards.problem(card);
    if (problem != null) {
      throw new GenesisException("card of '" + card.getName() + "': " + problem);
    }
    if (!MemberCards.VALIDATOR.equals(card.getRole())) {
      throw new GenesisException("card of '" + card.getName() + "' is not a validator's");
    }
    return Validator.newBuilder()
        .setName(card.getName())
        .setPublicKey(card.getEd25519PublicKey())
        .setEncryptionKey(card.getX25519PublicKey())
        .setRegion(card.getRegion())
        .setP2PAddress(card.getP2PAddress())
        .setGrpcAddress(card.getGrpcAddress())
        .build();
  }

  /** What a validator signs to approve a change: tag || chain id || 0x00 || body. */
  public static byte[] approvalBytes(String chainId, ValidatorChangeBody body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(DomainTags.prefix(DomainTags.VALIDATOR_CHANGE));
    out.writeBytes(chainId.getBytes(StandardCharsets.UTF_8));
    out.write(0);
    out.writeBytes(Canonical.bytes(body));
    return out.toByteArray();
  }

  /** {@code validator}'s approval of {@code body} (its signature over {@link #approvalBytes}). */
  public static ValidatorApproval approve(
      String chainId, ValidatorChangeBody body, io.prosima.proto.v1.KeyFile validator) {
    byte[] signature =
        Ed25519Keys.sign(
            validator.getEd25519PrivateKey().toByteArray(),
            validator.getEd25519PublicKey().toByteArray(),
            approvalBytes(chainId, body));
    return ValidatorApproval.newBuilder()
        .setValidator(validator.getEd25519PublicKey())
        .setSignature(ByteString.copyFrom(signature))
        .build();
  }

  /** The validators with the weights the genesis weighting rule gives them on this overlay. */
  static List<Validator> weigh(
      String weighting, List<Validator> validators, List<OverlayEdge> overlay) {
    List<String> names = validators.stream().map(Validator::getName).toList();
    Map<String, Long> degree =
        OverlayTopology.degreeWeights(OverlayTopology.degrees(names, overlay));
    List<Validator> out = new ArrayList<>(validators.size());
    for (Validator v : validators) {
      long w = OverlayRules.EQUAL.equals(weighting) ? 1 : degree.get(v.getName());
      out.add(v.toBuilder().setVotingWeight(w).build());
    }
    return out;
  }

  private static Validator find(List<Validator> validators, ByteString key) {
    for (Validator v : validators) {
      if (v.getPublicKey().equals(key)) {
        return v;
      }
    }
    return null;
  }

  private static boolean sameEdge(OverlayEdge x, OverlayEdge y) {
    return (x.getA().equals(y.getA()) && x.getB().equals(y.getB()))
        || (x.getA().equals(y.getB()) && x.getB().equals(y.getA()));
  }
}
