package io.prosima.node.ledger;

import com.google.protobuf.ByteString;
import io.prosima.consensus.execution.LedgerView;
import io.prosima.proto.v1.ImageRecord;
import io.prosima.proto.v1.Role;
import java.util.Optional;

/**
 * Who may read what about an image (DESIGN.md, "who may do what"), decided on this node's committed
 * state at the moment of the call: a revoke is in force here as soon as it commits here.
 */
public final class ImageAccess {
  private final LedgerCore core;

  public ImageAccess(LedgerCore core) {
    this.core = core;
  }

  /** Committed state only: a fresh view per decision, with no pending writes. */
  private LedgerView view() {
    return new LedgerView(core.genesis(), core.store()::state);
  }

  public Optional<ImageRecord> image(String imageId) {
    return view().image(imageId);
  }

  /**
   * The owner, or an identity whose grant is live: not revoked and for the image's current key
   * epoch (the ledger's rule, {@link LedgerView#liveGrant}; a rekey re-grants everyone it keeps).
   */
  public boolean ownerOrGrantee(ImageRecord image, ByteString caller) {
    return view().ownerOrLiveGrantee(image, caller);
  }

  /** A client identity with the hospital role (genesis client or registered on chain). */
  public boolean isHospital(ByteString caller) {
    return role(caller) == Role.ROLE_HOSPITAL;
  }

  /** Auditors and current validators may read any image's records and any signer's. */
  public boolean auditorOrValidator(ByteString caller) {
    return core.validatorSets().at(core.store().height() + 1).get(caller).isPresent()
        || role(caller) == Role.ROLE_AUDITOR;
  }

  /**
   * Image queries (transactions, provenance) answer the owner, live grantees, auditors and
   * validators; for an id nobody anchored only auditors and validators get an (empty) answer.
   */
  public boolean mayQueryImage(String imageId, ByteString caller) {
    if (auditorOrValidator(caller)) {
      return true;
    }
    return image(imageId).map(i -> ownerOrGrantee(i, caller)).orElse(false);
  }

  private Role role(ByteString caller) {
    return view().identity(caller).map(i -> i.getRole()).orElse(Role.ROLE_UNSPECIFIED);
  }
}
