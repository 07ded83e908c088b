package io.prosima.consensus.execution;

import static io.prosima.proto.v1.RefusalCode.REFUSAL_PAYLOAD_INVALID;

import io.prosima.genesis.GenesisRules;
import io.prosima.genesis.ValidatorChanges;
import io.prosima.genesis.ValidatorSet;
import io.prosima.proto.v1.AccessGrant;
import io.prosima.proto.v1.AccessLog;
import io.prosima.proto.v1.AccessRevoke;
import io.prosima.proto.v1.EquivocationEvidence;
import io.prosima.proto.v1.IdentityRegistration;
import io.prosima.proto.v1.ImageAnchor;
import io.prosima.proto.v1.ImageRekey;
import io.prosima.proto.v1.Metric;
import io.prosima.proto.v1.ModelAnchor;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.PlacementInfo;
import io.prosima.proto.v1.ReconstructionRecord;
import io.prosima.proto.v1.Role;
import io.prosima.proto.v1.TilePlacement;
import io.prosima.proto.v1.ValidatorChange;
import io.prosima.proto.v1.Verdict;
import io.prosima.proto.v1.VerificationRecord;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Well-formedness of payloads, checked without any state. Returns null when well formed. */
final class PayloadRules {
  static final int ID_CHARS_MAX = 128;
  static final int WRAPPED_KEY_BYTES_MAX = 1024;
  static final int TRAINING_METADATA_CHARS_MAX = 4096;
  static final int METRICS_MAX = 64;
  static final int PARENTS_MAX = 16;
  static final int MODALITY_CHARS_MAX = 64;
  static final int REGION_CHARS_MAX = 64;
  static final int FRAGMENTS_MAX = 255;
  static final int HASH_BYTES = 32;
  static final int KEY_BYTES = 32;

  /** ImageAnchor.similarity_code: empty or a 128-bit code. */
  static final int SIMILARITY_CODE_BYTES = 16;

  static final Pattern IMAGE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
  static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
  static final Pattern MODEL_REF = Pattern.compile(MODEL_ID.pattern() + "@" + VERSION.pattern());
  static final Pattern ACTION = Pattern.compile("[a-z][a-z-]{0,31}");
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  static final Pattern METRIC = Pattern.compile("[a-z][a-z0-9_.@-]{0,63}");
  static final Pattern ENCODER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@+-]{0,95}");
  static final String AES_256_GCM = "AES-256-GCM";

  private PayloadRules() {}

  static Refusal check(Payload p) {
    return switch (p.getKindCase()) {
      case IMAGE_ANCHOR -> imageAnchor(p.getImageAnchor());
      case MODEL_ANCHOR -> modelAnchor(p.getModelAnchor());
      case RECONSTRUCTION_RECORD -> reconstruction(p.getReconstructionRecord());
      case VERIFICATION_RECORD -> verification(p.getVerificationRecord());
      case ACCESS_GRANT -> grant(p.getAccessGrant());
      case ACCESS_REVOKE -> revoke(p.getAccessRevoke());
      case ACCESS_LOG -> log(p.getAccessLog());
      case IDENTITY_REGISTRATION -> registration(p.getIdentityRegistration());
      case EQUIVOCATION_EVIDENCE ->
          p.getEquivocationEvidence().hasEvidence() ? null : invalid("evidence is required");
      case IMAGE_REKEY -> rekey(p.getImageRekey());
      case VALIDATOR_CHANGE -> validatorChange(p.getValidatorChange());
      case KIND_NOT_SET -> invalid("payload is empty");
    };
  }

  private static Refusal imageAnchor(ImageAnchor a) {
    Refusal badId = imageId(a.getImageId());
    if (badId != null) {
      return badId;
    }
    Refusal badLeaves = AnchorLeaves.check(a);
    if (badLeaves != null) {
      return badLeaves;
    }
    int tiles = a.getLeavesCount();
    Refusal badStorage = storage(a.getEncryption().getAlgorithm(), a.getPlacement(), false);
    if (badStorage != null) {
      return badStorage;
    }
    if (a.getPlacement().getTilesCount() != 0 && a.getPlacement().getTilesCount() != tiles) {
      return invalid("placement must list all " + tiles + " tiles");
    }
    if (a.getSampleBits() != 0 && a.getSampleBits() != 8 && a.getSampleBits() != 16) {
      return invalid("sample_bits must be 0, 8 or 16");
    }
    if (!a.getEncoder().isEmpty() && !ENCODER.matcher(a.getEncoder()).matches()) {
      return invalid("encoder must match " + ENCODER);
    }
    if (!a.getSimilarityCode().isEmpty()) {
      if (a.getSimilarityCode().size() != SIMILARITY_CODE_BYTES) {
        return invalid(
            "similarity_code must be empty or "
                + SIMILARITY_CODE_BYTES
                + " bytes, got "
                + a.getSimilarityCode().size());
      }
      if (a.getEncoder().isEmpty()) {
        return invalid("a similarity_code is computed with E: name the encoder");
      }
    }
    if (a.getModality().length() > MODALITY_CHARS_MAX) {
      return invalid("modality above " + MODALITY_CHARS_MAX + " characters");
    }
    return null;
  }

  private static Refusal rekey(ImageRekey k) {
    Refusal badId = imageId(k.getImageId());
    if (badId != null) {
      return badId;
    }
    if (k.getKeyEpoch() < 1) {
      return invalid("key_epoch must be at least 1 (the anchor is epoch 0)");
    }
    return storage(k.getEncryption().getAlgorithm(), k.getPlacement(), true);
  }

  /**
   * Encryption and placement of stored fragments. Without placement (r = s = 0) nothing else may be
   * given; with it, every tile names s distinct nodes of the node table and s 32-byte hashes. The
   * tile count against the grid and the nodes against the validator set are checked with state.
   */
  private static Refusal storage(String algorithm, PlacementInfo p, boolean placementRequired) {
    if (!algorithm.isEmpty() && !algorithm.equals(AES_256_GCM)) {
      return invalid("encryption algorithm must be empty or " + AES_256_GCM);
    }
    int r = p.getFragmentsNeeded();
    int s = p.getFragmentsTotal();
    if (r == 0 && s == 0) {
      if (placementRequired) {
        return invalid("placement is required");
      }
      return p.getNodesCount() == 0 && p.getTilesCount() == 0 && p.getUploaderRegion().isEmpty()
          ? null
          : invalid("placement without r and s must be empty");
    }
    if (!(1 <= r && r <= s && s <= FRAGMENTS_MAX)) {
      return invalid("placement needs 1 <= r <= s <= " + FRAGMENTS_MAX + " (or both 0)");
    }
    if (!algorithm.equals(AES_256_GCM)) {
      return invalid("stored fragments must be encrypted with " + AES_256_GCM);
    }
    if (p.getNodesCount() < s || p.getNodesCount() > FRAGMENTS_MAX) {
      return invalid("placement needs " + s + ".." + FRAGMENTS_MAX + " nodes");
    }
    Set<com.google.protobuf.ByteString> nodes = new HashSet<>();
    for (var node : p.getNodesList()) {
      if (node.size() != KEY_BYTES || !nodes.add(node)) {
        return invalid("placement nodes must be distinct 32-byte keys");
      }
    }
    if (p.getTilesCount() == 0
        || p.getTilesCount()
            > AnchorLeaves.GRID_SIDE_TILES_MAX * AnchorLeaves.GRID_SIDE_TILES_MAX) {
      return invalid("placement must list every tile");
    }
    for (int t = 0; t < p.getTilesCount(); t++) {
      TilePlacement tile = p.getTiles(t);
      if (tile.getNodeIndicesCount() != s || tile.getFragmentSha256Count() != s) {
        return invalid("tile " + t + " must place " + s + " fragments with their hashes");
      }
      Set<Integer> used = new HashSet<>();
      for (int index : tile.getNodeIndicesList()) {
        if (Integer.toUnsignedLong(index) >= p.getNodesCount() || !used.add(index)) {
          return invalid("tile " + t + " must name " + s + " distinct nodes of the node table");
        }
      }
      for (var hash : tile.getFragmentSha256List()) {
        if (hash.size() != HASH_BYTES) {
          return invalid("tile " + t + ": fragment hashes must be 32 bytes");
        }
      }
    }
    if (p.getUploaderRegion().length() > REGION_CHARS_MAX) {
      return invalid("uploader_region above " + REGION_CHARS_MAX + " characters");
    }
    return null;
  }

  private static Refusal modelAnchor(ModelAnchor m) {
    if (!MODEL_ID.matcher(m.getModelId()).matches()) {
      return invalid("model_id must match " + MODEL_ID);
    }
    if (!VERSION.matcher(m.getVersion()).matches()) {
      return invalid("version must match " + VERSION);
    }
    if (m.getWeightsSha256().size() != HASH_BYTES) {
      return invalid("weights_sha256 must be 32 bytes");
    }
    if (m.getParentsCount() > PARENTS_MAX) {
      return invalid("more than " + PARENTS_MAX + " parents");
    }
    for (String parent : m.getParentsList()) {
      if (!MODEL_REF.matcher(parent).matches()) {
        return invalid("parent '" + parent + "' must be model_id@version");
      }
    }
    if (m.getTrainingMetadata().length() > TRAINING_METADATA_CHARS_MAX) {
      return invalid("training_metadata above " + TRAINING_METADATA_CHARS_MAX + " characters");
    }
    if (m.getMetricsCount() > METRICS_MAX) {
      return invalid("more than " + METRICS_MAX + " metrics");
    }
    for (Metric metric : m.getMetricsList()) {
      if (!METRIC.matcher(metric.getName()).matches() || !Double.isFinite(metric.getValue())) {
        return invalid("metric '" + metric.getName() + "' needs a valid name and a finite value");
      }
    }
    return null;
  }

  private static Refusal reconstruction(ReconstructionRecord r) {
    Refusal bad = imageId(r.getImageId());
    if (bad != null) {
      return bad;
    }
    if (!MODEL_ID.matcher(r.getModelId()).matches()
        || !VERSION.matcher(r.getModelVersion()).matches()) {
      return invalid("model_id and model_version are required");
    }
    if (r.getOutputMerkleRoot().size() != HASH_BYTES) {
      return invalid("output_merkle_root must be 32 bytes");
    }
    return ascendingTiles(r.getReconstructedTilesList(), "reconstructed_tiles");
  }

  private static Refusal verification(VerificationRecord v) {
    Refusal bad = imageId(v.getImageId());
    if (bad != null) {
      return bad;
    }
    if (v.getVerdict() == Verdict.VERDICT_UNSPECIFIED || v.getVerdict() == Verdict.UNRECOGNIZED) {
      return invalid("verdict is required");
    }
    if (v.getVerdict() == Verdict.VERDICT_AUTHENTIC && v.getTamperedTilesCount() > 0) {
      return invalid("an authentic verdict cannot name tampered tiles");
    }
    if (v.getCheckedMerkleRoot().size() != HASH_BYTES) {
      return invalid("checked_merkle_root must be 32 bytes");
    }
    return ascendingTiles(v.getTamperedTilesList(), "tampered_tiles");
  }

  private static Refusal grant(AccessGrant g) {
    Refusal bad = imageId(g.getImageId());
    if (bad != null) {
      return bad;
    }
    if (g.getGrantee().size() != KEY_BYTES) {
      return invalid("grantee must be a 32-byte public key");
    }
    if (g.getWrappedKey().isEmpty() || g.getWrappedKey().size() > WRAPPED_KEY_BYTES_MAX) {
      return invalid("wrapped_key must be 1.." + WRAPPED_KEY_BYTES_MAX + " bytes");
    }
    return null;
  }

  private static Refusal revoke(AccessRevoke r) {
    Refusal bad = imageId(r.getImageId());
    if (bad != null) {
      return bad;
    }
    return r.getGrantee().size() == KEY_BYTES ? null : invalid("grantee must be 32 bytes");
  }

  private static Refusal log(AccessLog l) {
    Refusal bad = imageId(l.getImageId());
    if (bad != null) {
      return bad;
    }
    return ACTION.matcher(l.getAction()).matches() ? null : invalid("action must match " + ACTION);
  }

  private static Refusal registration(IdentityRegistration reg) {
    if (!reg.hasIdentity()) {
      return invalid("identity is required");
    }
    var id = reg.getIdentity();
    if (id.getPublicKey().size() != KEY_BYTES || id.getEncryptionKey().size() != KEY_BYTES) {
      return invalid("identity keys must be 32 bytes each");
    }
    if (id.getRole() != Role.ROLE_HOSPITAL
        && id.getRole() != Role.ROLE_AUDITOR
        && id.getRole() != Role.ROLE_ADMIN) {
      return invalid("identity role must be hospital, auditor or admin");
    }
    if (!NAME.matcher(id.getName()).matches()) {
      return invalid("identity name must match " + NAME);
    }
    for (var approval : reg.getApprovalsList()) {
      if (approval.getValidator().size() != KEY_BYTES || approval.getSignature().size() != 64) {
        return invalid("each approval needs a 32-byte validator key and a 64-byte signature");
      }
    }
    return null;
  }

  private static Refusal validatorChange(ValidatorChange c) {
    if (!c.hasBody()) {
      return invalid("the change body is required");
    }
    var body = c.getBody();
    if (!body.getRemove().isEmpty() && body.getRemove().size() != KEY_BYTES) {
      return invalid("remove must be a 32-byte validator key");
    }
    if (body.getAddEdgesCount() > ValidatorChanges.EDGES_PER_CHANGE_MAX
        || body.getRemoveEdgesCount() > ValidatorChanges.EDGES_PER_CHANGE_MAX) {
      return invalid(
          "a change may add or remove at most " + ValidatorChanges.EDGES_PER_CHANGE_MAX + " edges");
    }
    if (c.getApprovalsCount() > GenesisRules.VALIDATORS_MAX) {
      return invalid("more approvals than validators can exist");
    }
    for (var approval : c.getApprovalsList()) {
      if (approval.getValidator().size() != KEY_BYTES || approval.getSignature().size() != 64) {
        return invalid("each approval needs a 32-byte validator key and a 64-byte signature");
      }
    }
    return null;
  }

  /**
   * The full evidence check ({@link EvidenceTxs#check}); it needs the validator set, so it runs
   * with the stateful checks. Null when the evidence is valid.
   */
  static Refusal evidence(String chainId, ValidatorSet validators, EquivocationEvidence e) {
    String reason = EvidenceTxs.check(chainId, validators, e.getEvidence());
    return reason == null ? null : invalid("invalid equivocation evidence: " + reason);
  }

  private static Refusal imageId(String id) {
    return IMAGE_ID.matcher(id).matches() ? null : invalid("image_id must match " + IMAGE_ID);
  }

  private static Refusal ascendingTiles(List<Integer> tiles, String field) {
    if (tiles.size() > AnchorLeaves.GRID_SIDE_TILES_MAX * AnchorLeaves.GRID_SIDE_TILES_MAX) {
      return invalid(field + " lists too many tiles");
    }
    long previous = -1;
    for (int t : tiles) {
      long tile = Integer.toUnsignedLong(t);
      if (tile <= previous) {
        return invalid(field + " must be strictly ascending");
      }
      previous = tile;
    }
    return null;
  }

  private static Refusal invalid(String message) {
    return Refusal.of(REFUSAL_PAYLOAD_INVALID, message);
  }
}
