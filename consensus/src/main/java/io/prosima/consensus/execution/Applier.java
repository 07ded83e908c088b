package io.prosima.consensus.execution;

import com.google.protobuf.ByteString;
import io.prosima.genesis.ValidatorChanges;
import io.prosima.genesis.ValidatorSets;
import io.prosima.proto.v1.GrantRecord;
import io.prosima.proto.v1.ImageRecord;
import io.prosima.proto.v1.ModelRecord;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.ValidatorEpoch;

/** Applies a transaction that passed every check. Deterministic; cannot fail. */
final class Applier {
  private Applier() {}

  static void apply(Transaction tx, byte[] txHash, LedgerView view, long height) {
    ByteString hash = ByteString.copyFrom(txHash);
    view.putNonce(tx.getSigner(), tx.getNonce());
    var p = tx.getPayload();
    switch (p.getKindCase()) {
      case IMAGE_ANCHOR -> {
        var a = p.getImageAnchor();
        view.putImage(
            ImageRecord.newBuilder()
                .setImageId(a.getImageId())
                .setOwner(tx.getSigner())
                .setMerkleRoot(a.getMerkleRoot())
                .setGrid(a.getGrid())
                .setHeight(height)
                .setTxHash(hash)
                .build());
      }
      case IMAGE_REKEY -> {
        var k = p.getImageRekey();
        ImageRecord current =
            view.image(k.getImageId())
                .orElseThrow(() -> new IllegalStateException("rekey of an image not anchored"));
        view.putImage(current.toBuilder().setKeyEpoch(k.getKeyEpoch()).build());
      }
      case MODEL_ANCHOR -> {
        var m = p.getModelAnchor();
        view.putModel(
            ModelRecord.newBuilder()
                .setModelId(m.getModelId())
                .setVersion(m.getVersion())
                .setWeightsSha256(m.getWeightsSha256())
                .setOwner(tx.getSigner())
                .setHeight(height)
                .setTxHash(hash)
                .build());
      }
      case ACCESS_GRANT -> {
        var g = p.getAccessGrant();
        view.putGrant(
            GrantRecord.newBuilder()
                .setImageId(g.getImageId())
                .setGrantee(g.getGrantee())
                .setWrappedKey(g.getWrappedKey())
                .setKeyEpoch(g.getKeyEpoch())
                .setHeight(height)
                .setTxHash(hash)
                .build());
      }
      case ACCESS_REVOKE ->
          view.deleteGrant(p.getAccessRevoke().getImageId(), p.getAccessRevoke().getGrantee());
      case IDENTITY_REGISTRATION -> view.putIdentity(p.getIdentityRegistration().getIdentity());
      case VALIDATOR_CHANGE -> {
        var sets = view.validatorSets();
        var result =
            ValidatorChanges.apply(view.genesis(), sets.latest(), p.getValidatorChange().getBody());
        if (!(result instanceof ValidatorChanges.Applied applied)) {
          throw new IllegalStateException("applying a validator change that was refused");
        }
        view.appendValidatorEpoch(
            ValidatorEpoch.newBuilder()
                .setFromHeight(height + ValidatorSets.ACTIVATION_DELAY_HEIGHTS)
                .setChangedAtHeight(height)
                .setTxHash(hash)
                .addAllValidators(applied.validators())
                .addAllOverlay(applied.overlay())
                .build());
      }
      // Both votes share validator, height, round and type, so either one names the record.
      case EQUIVOCATION_EVIDENCE ->
          view.putEvidence(p.getEquivocationEvidence().getEvidence().getVoteA(), height, hash);
      // Records and logs live in the transaction index (by image id); they change no state
      // beyond the signer's nonce.
      case RECONSTRUCTION_RECORD, VERIFICATION_RECORD, ACCESS_LOG -> {}
      case KIND_NOT_SET ->
          throw new IllegalStateException("applying a transaction with no payload");
    }
  }
}
