package io.prosima.consensus.execution;

import static io.prosima.proto.v1.RefusalCode.REFUSAL_BAD_SIGNATURE;
import static io.prosima.proto.v1.RefusalCode.REFUSAL_CONFLICT;
import static io.prosima.proto.v1.RefusalCode.REFUSAL_DUPLICATE;
import static io.prosima.proto.v1.RefusalCode.REFUSAL_EXPIRED;
import static io.prosima.proto.v1.RefusalCode.REFUSAL_EXPIRY_TOO_FAR;
import static io.prosima.proto.v1.RefusalCode.REFUSAL_INSUFFICIENT_APPROVALS;
import static io.prosima.proto.v1.RefusalCode.REFUSAL_MALFORMED;
import static io.prosima.proto.v1.RefusalCode.REFUSAL_NONCE_NOT_INCREASING;
import static io.prosima.proto.v1.RefusalCode.REFUSAL_NOT_FOUND;
import static io.prosima.proto.v1.RefusalCode.REFUSAL_NOT_OWNER;
import static io.prosima.proto.v1.RefusalCode.REFUSAL_PAYLOAD_INVALID;
import static io.prosima.proto.v1.RefusalCode.REFUSAL_ROLE_FORBIDDEN;
import static io.prosima.proto.v1.RefusalCode.REFUSAL_TOO_LARGE;
import static io.prosima.proto.v1.RefusalCode.REFUSAL_UNKNOWN_SIGNER;
import static io.prosima.proto.v1.RefusalCode.REFUSAL_WRONG_CHAIN;

import com.google.protobuf.ByteString;
import io.prosima.genesis.ValidatorChanges;
import io.prosima.genesis.ValidatorSet;
import io.prosima.genesis.ValidatorSets;
import io.prosima.proto.v1.AccessGrant;
import io.prosima.proto.v1.AccessLog;
import io.prosima.proto.v1.AccessRevoke;
import io.prosima.proto.v1.ConsensusParams;
import io.prosima.proto.v1.EquivocationEvidence;
import io.prosima.proto.v1.IdentityRegistration;
import io.prosima.proto.v1.ImageAnchor;
import io.prosima.proto.v1.ImageRecord;
import io.prosima.proto.v1.ImageRekey;
import io.prosima.proto.v1.ModelAnchor;
import io.prosima.proto.v1.PlacementInfo;
import io.prosima.proto.v1.ReconstructionRecord;
import io.prosima.proto.v1.Role;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.ValidatorApproval;
import io.prosima.proto.v1.ValidatorChange;
import io.prosima.proto.v1.ValidatorChangeBody;
import io.prosima.proto.v1.VerificationRecord;
import io.prosima.proto.v1.Vote;
import io.prosima.proto.wire.Canonical;
import io.prosima.proto.wire.DomainTags;
import io.prosima.proto.wire.Ed25519Keys;
import io.prosima.proto.wire.TxCodec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The rules a transaction must pass. {@link #checkStateless} needs no state and is what runs in
 * parallel at admission; {@link #checkStateful} runs against the ledger view, in block order.
 */
public final class TxRules {
  private TxRules() {}

  /** Envelope and payload checks that need no state, signature excluded. Null when it passes. */
  public static Refusal checkStateless(Transaction tx, String chainId, ConsensusParams params) {
    int size = tx.getSerializedSize();
    if (size > params.getTxBytesMax()) {
      return Refusal.of(
          REFUSAL_TOO_LARGE, "transaction is " + size + " bytes, above " + params.getTxBytesMax());
    }
    if (Canonical.hasUnknownFields(tx)) {
      return Refusal.of(REFUSAL_MALFORMED, "transaction carries unknown fields");
    }
    if (!tx.getChainId().equals(chainId)) {
      return Refusal.of(REFUSAL_WRONG_CHAIN, "transaction is for another chain");
    }
    if (tx.getSigner().size() != Ed25519Keys.PUBLIC_KEY_BYTES) {
      return Refusal.of(REFUSAL_MALFORMED, "signer must be a 32-byte Ed25519 public key");
    }
    if (tx.getSignature().size() != Ed25519Keys.SIGNATURE_BYTES) {
      return Refusal.of(REFUSAL_MALFORMED, "signature must be 64 bytes");
    }
    if (tx.getNonce() == 0) {
      return Refusal.of(REFUSAL_MALFORMED, "nonce must be positive");
    }
    if (!tx.hasPayload()) {
      return Refusal.of(REFUSAL_MALFORMED, "payload is missing");
    }
    return PayloadRules.check(tx.getPayload());
  }

  /** Ed25519 signature over the signing bytes. Null when valid. */
  public static Refusal checkSignature(Transaction tx) {
    return TxCodec.signatureValid(tx)
        ? null
        : Refusal.of(REFUSAL_BAD_SIGNATURE, "signature does not verify for the signer");
  }

  /**
   * Checks against state, for inclusion at {@code height}: signer known, role allowed, nonce
   * strictly increasing, not expired, and payload-specific state rules. Null when it passes.
   */
  public static Refusal checkStateful(Transaction tx, LedgerView view, long height) {
    Optional<io.prosima.proto.v1.Identity> signer = view.identity(tx.getSigner());
    Role role;
    if (RolePolicy.validatorsOnly(tx.getPayload().getKindCase())) {
      // Validators sign these with their genesis key; they are not client identities.
      if (view.validatorsAt(height).get(tx.getSigner()).isEmpty()) {
        return signer.isEmpty()
            ? Refusal.of(REFUSAL_UNKNOWN_SIGNER, "signer is neither an identity nor a validator")
            : Refusal.of(
                REFUSAL_ROLE_FORBIDDEN,
                "only validators may submit "
                    + kindName(tx)
                    + " transactions, not role "
                    + roleName(signer.get().getRole()));
      }
      role = Role.ROLE_UNSPECIFIED;
    } else if (signer.isEmpty()) {
      return Refusal.of(REFUSAL_UNKNOWN_SIGNER, "signer is not a registered identity");
    } else {
      role = signer.get().getRole();
    }
    if (!RolePolicy.validatorsOnly(tx.getPayload().getKindCase())
        && !RolePolicy.allowed(tx.getPayload().getKindCase()).contains(role)) {
      return Refusal.of(
          REFUSAL_ROLE_FORBIDDEN,
          "role " + roleName(role) + " may not submit " + kindName(tx) + " transactions");
    }
    if (tx.getExpiryHeight() < height) {
      return Refusal.of(
          REFUSAL_EXPIRED,
          "transaction expired at height " + tx.getExpiryHeight() + ", chain is at " + height);
    }
    long window = view.genesis().getConsensus().getTxExpiryHeightsMax();
    if (tx.getExpiryHeight() - height > window) {
      return Refusal.of(
          REFUSAL_EXPIRY_TOO_FAR,
          "expiry height is more than " + window + " heights ahead of " + height);
    }
    long last = view.lastNonce(tx.getSigner());
    if (Long.compareUnsigned(tx.getNonce(), last) <= 0) {
      return Refusal.of(
          REFUSAL_NONCE_NOT_INCREASING,
          "nonce " + Long.toUnsignedString(tx.getNonce()) + " is not above the last used " + last);
    }
    return switch (tx.getPayload().getKindCase()) {
      case IMAGE_ANCHOR -> imageAnchor(tx.getPayload().getImageAnchor(), view);
      case IMAGE_REKEY -> rekey(tx.getPayload().getImageRekey(), tx.getSigner(), view);
      case MODEL_ANCHOR -> modelAnchor(tx.getPayload().getModelAnchor(), view);
      case RECONSTRUCTION_RECORD ->
          reconstruction(tx.getPayload().getReconstructionRecord(), tx.getSigner(), view);
      case VERIFICATION_RECORD ->
          verification(tx.getPayload().getVerificationRecord(), tx.getSigner(), role, view);
      case ACCESS_GRANT -> grant(tx.getPayload().getAccessGrant(), tx.getSigner(), view);
      case ACCESS_REVOKE -> revoke(tx.getPayload().getAccessRevoke(), tx.getSigner(), view);
      case ACCESS_LOG -> log(tx.getPayload().getAccessLog(), tx.getSigner(), role, view);
      case IDENTITY_REGISTRATION ->
          registration(tx.getPayload().getIdentityRegistration(), view, height);
      case VALIDATOR_CHANGE -> validatorChange(tx.getPayload().getValidatorChange(), view, height);
      case EQUIVOCATION_EVIDENCE -> evidence(tx, view);
      case KIND_NOT_SET -> Refusal.of(REFUSAL_MALFORMED, "payload is missing");
    };
  }

  private static Refusal evidence(Transaction tx, LedgerView view) {
    EquivocationEvidence e = tx.getPayload().getEquivocationEvidence();
    // The votes are checked against the set that signed at their height.
    Refusal invalid =
        PayloadRules.evidence(
            tx.getChainId(), view.validatorsAt(e.getEvidence().getVoteA().getHeight()), e);
    if (invalid != null) {
      return invalid;
    }
    Vote v = e.getEvidence().getVoteA();
    if (view.evidenceRecorded(v)) {
      return Refusal.of(
          REFUSAL_DUPLICATE,
          "equivocation by this validator at height "
              + Long.toUnsignedString(v.getHeight())
              + ", round "
              + Integer.toUnsignedString(v.getRound())
              + ", "
              + v.getType()
              + " is already recorded");
    }
    return null;
  }

  private static Refusal imageAnchor(ImageAnchor a, LedgerView view) {
    if (view.image(a.getImageId()).isPresent()) {
      return Refusal.of(REFUSAL_CONFLICT, "image '" + a.getImageId() + "' is already anchored");
    }
    return placementNodes(a.getPlacement(), view);
  }

  private static Refusal rekey(ImageRekey k, ByteString signer, LedgerView view) {
    Optional<ImageRecord> image = view.image(k.getImageId());
    if (image.isEmpty()) {
      return notFound(k.getImageId());
    }
    if (!image.get().getOwner().equals(signer)) {
      return Refusal.of(REFUSAL_NOT_OWNER, "only the image's owner may rekey it");
    }
    long next = Integer.toUnsignedLong(image.get().getKeyEpoch()) + 1;
    if (Integer.toUnsignedLong(k.getKeyEpoch()) != next) {
      return Refusal.of(
          REFUSAL_CONFLICT, "key_epoch must be " + next + ", the image's current epoch + 1");
    }
    long tiles = (long) image.get().getGrid().getRows() * image.get().getGrid().getCols();
    if (k.getPlacement().getTilesCount() != tiles) {
      return Refusal.of(
          io.prosima.proto.v1.RefusalCode.REFUSAL_PAYLOAD_INVALID,
          "placement must list all " + tiles + " tiles");
    }
    return placementNodes(k.getPlacement(), view);
  }

  /**
   * Fragments may only be placed on genesis validators (they run the fragment store; placement does
   * not follow validator changes).
   */
  private static Refusal placementNodes(PlacementInfo placement, LedgerView view) {
    for (ByteString node : placement.getNodesList()) {
      if (view.genesisValidators().get(node).isEmpty()) {
        return Refusal.of(REFUSAL_NOT_FOUND, "a placement node is not a validator");
      }
    }
    return null;
  }

  private static Refusal modelAnchor(ModelAnchor m, LedgerView view) {
    if (view.model(m.getModelId(), m.getVersion()).isPresent()) {
      return Refusal.of(
          REFUSAL_CONFLICT,
          "model " + m.getModelId() + "@" + m.getVersion() + " is already anchored");
    }
    for (String parent : m.getParentsList()) {
      int at = parent.indexOf('@');
      if (view.model(parent.substring(0, at), parent.substring(at + 1)).isEmpty()) {
        return Refusal.of(REFUSAL_NOT_FOUND, "parent model " + parent + " is not anchored");
      }
    }
    return null;
  }

  private static Refusal reconstruction(
      ReconstructionRecord r, ByteString signer, LedgerView view) {
    Optional<ImageRecord> image = view.image(r.getImageId());
    if (image.isEmpty()) {
      return notFound(r.getImageId());
    }
    if (!view.ownerOrLiveGrantee(image.get(), signer)) {
      return Refusal.of(
          REFUSAL_NOT_OWNER, "only the image's owner or a grantee may record a reconstruction");
    }
    if (view.model(r.getModelId(), r.getModelVersion()).isEmpty()) {
      return Refusal.of(
          REFUSAL_NOT_FOUND,
          "model " + r.getModelId() + "@" + r.getModelVersion() + " is not anchored");
    }
    return tilesInGrid(r.getReconstructedTilesList(), image.get());
  }

  private static Refusal verification(
      VerificationRecord v, ByteString signer, Role role, LedgerView view) {
    Optional<ImageRecord> image = view.image(v.getImageId());
    if (image.isEmpty()) {
      return notFound(v.getImageId());
    }
    if (role != Role.ROLE_AUDITOR && !view.ownerOrLiveGrantee(image.get(), signer)) {
      return Refusal.of(
          REFUSAL_NOT_OWNER,
          "only the image's owner, a grantee or an auditor may record a verification");
    }
    return tilesInGrid(v.getTamperedTilesList(), image.get());
  }

  private static Refusal grant(AccessGrant g, ByteString signer, LedgerView view) {
    Optional<ImageRecord> image = view.image(g.getImageId());
    if (image.isEmpty()) {
      return notFound(g.getImageId());
    }
    if (!image.get().getOwner().equals(signer)) {
      return Refusal.of(REFUSAL_NOT_OWNER, "only the image's owner may grant access");
    }
    if (view.identity(g.getGrantee()).isEmpty()) {
      return Refusal.of(REFUSAL_NOT_FOUND, "grantee is not a registered identity");
    }
    if (g.getKeyEpoch() != image.get().getKeyEpoch()) {
      return Refusal.of(
          REFUSAL_CONFLICT,
          "grant wraps the key of epoch "
              + Integer.toUnsignedString(g.getKeyEpoch())
              + " but the image is at epoch "
              + Integer.toUnsignedString(image.get().getKeyEpoch()));
    }
    return null;
  }

  private static Refusal revoke(AccessRevoke r, ByteString signer, LedgerView view) {
    Optional<ImageRecord> image = view.image(r.getImageId());
    if (image.isEmpty()) {
      return notFound(r.getImageId());
    }
    if (!image.get().getOwner().equals(signer)) {
      return Refusal.of(REFUSAL_NOT_OWNER, "only the image's owner may revoke access");
    }
    if (view.grant(r.getImageId(), r.getGrantee()).isEmpty()) {
      return Refusal.of(REFUSAL_NOT_FOUND, "no access grant to revoke");
    }
    return null;
  }

  private static Refusal log(AccessLog l, ByteString signer, Role role, LedgerView view) {
    Optional<ImageRecord> image = view.image(l.getImageId());
    if (image.isEmpty()) {
      return notFound(l.getImageId());
    }
    boolean owner = image.get().getOwner().equals(signer);
    boolean granted = view.liveGrant(image.get(), signer).isPresent();
    if (role == Role.ROLE_HOSPITAL && !owner && !granted) {
      return Refusal.of(REFUSAL_NOT_OWNER, "hospital has no access to this image");
    }
    return null;
  }

  private static Refusal registration(IdentityRegistration reg, LedgerView view, long height) {
    var identity = reg.getIdentity();
    ValidatorSets sets = view.validatorSets();
    if (view.identity(identity.getPublicKey()).isPresent()
        || sets.keysFrom(0).contains(identity.getPublicKey())) {
      return Refusal.of(REFUSAL_CONFLICT, "identity key is already registered");
    }
    return approvals(
        approvalBytes(view.genesis().getChainId(), identity),
        reg.getApprovalsList(),
        sets.at(height));
  }

  /**
   * A validator change (issue 17): signed by a validator of the current set, approved by validators
   * holding more than 2/3 of the current weight, carrying the next sequence number, with no other
   * change pending, and leaving a set the genesis rules accept ({@link ValidatorChanges}). It takes
   * effect at height + {@link ValidatorSets#ACTIVATION_DELAY_HEIGHTS}.
   */
  private static Refusal validatorChange(ValidatorChange change, LedgerView view, long height) {
    ValidatorSets sets = view.validatorSets();
    ValidatorChangeBody body = change.getBody();
    if (sets.latest().fromHeight() > height) {
      return Refusal.of(
          REFUSAL_CONFLICT,
          "a validator change is pending until height "
              + sets.latest().fromHeight()
              + "; one change at a time");
    }
    if (body.getSequence() != sets.changes()) {
      return Refusal.of(
          REFUSAL_CONFLICT,
          "change sequence is "
              + Long.toUnsignedString(body.getSequence())
              + " but the next change is number "
              + sets.changes());
    }
    Refusal approved =
        approvals(
            ValidatorChanges.approvalBytes(view.genesis().getChainId(), body),
            change.getApprovalsList(),
            sets.at(height));
    if (approved != null) {
      return approved;
    }
    if (body.hasAdd()) {
      ByteString key = body.getAdd().getPublicKey();
      if (view.identity(key).isPresent() || sets.keysFrom(0).contains(key)) {
        return Refusal.of(
            REFUSAL_CONFLICT,
            "the joining validator's key is already used by an identity or a validator");
      }
    }
    var result = ValidatorChanges.apply(view.genesis(), sets.latest(), body);
    if (result instanceof ValidatorChanges.Refused r) {
      return Refusal.of(REFUSAL_PAYLOAD_INVALID, r.reason());
    }
    return null;
  }

  /** Approvals by distinct validators of {@code validators} holding more than 2/3 of its weight. */
  private static Refusal approvals(
      byte[] message, java.util.List<ValidatorApproval> list, ValidatorSet validators) {
    Set<ByteString> seen = new HashSet<>();
    long weight = 0;
    for (ValidatorApproval approval : list) {
      var validator = validators.get(approval.getValidator());
      if (validator.isEmpty() || !seen.add(approval.getValidator())) {
        return Refusal.of(
            REFUSAL_INSUFFICIENT_APPROVALS, "approval by an unknown or repeated validator");
      }
      if (!Ed25519Keys.verify(
          approval.getValidator().toByteArray(), message, approval.getSignature().toByteArray())) {
        return Refusal.of(REFUSAL_INSUFFICIENT_APPROVALS, "an approval signature is invalid");
      }
      weight += validator.get().getVotingWeight();
    }
    if (!validators.isQuorum(weight)) {
      return Refusal.of(
          REFUSAL_INSUFFICIENT_APPROVALS,
          "approvals hold "
              + weight
              + " of "
              + validators.totalWeight()
              + " voting weight; more than 2/3 is needed");
    }
    return null;
  }

  /** What a validator signs to approve an identity: tag || chain id || 0x00 || identity. */
  public static byte[] approvalBytes(String chainId, io.prosima.proto.v1.Identity identity) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(DomainTags.prefix(DomainTags.IDENTITY));
    out.writeBytes(chainId.getBytes(StandardCharsets.UTF_8));
    out.write(0);
    out.writeBytes(Canonical.bytes(identity));
    return out.toByteArray();
  }

  private static Refusal tilesInGrid(java.util.List<Integer> tiles, ImageRecord image) {
    long count = (long) image.getGrid().getRows() * image.getGrid().getCols();
    for (int t : tiles) {
      if (Integer.toUnsignedLong(t) >= count) {
        return Refusal.of(
            io.prosima.proto.v1.RefusalCode.REFUSAL_PAYLOAD_INVALID,
            "tile " + Integer.toUnsignedString(t) + " is outside the image's " + count + " tiles");
      }
    }
    return null;
  }

  private static Refusal notFound(String imageId) {
    return Refusal.of(REFUSAL_NOT_FOUND, "image '" + imageId + "' is not anchored");
  }

  private static String roleName(Role role) {
    return role == Role.ROLE_UNSPECIFIED
        ? "validator"
        : role.name().substring("ROLE_".length()).toLowerCase(java.util.Locale.ROOT);
  }

  private static String kindName(Transaction tx) {
    return tx.getPayload().getKindCase().name().toLowerCase(java.util.Locale.ROOT);
  }
}
