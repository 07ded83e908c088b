package io.prosima.storage;

import io.prosima.proto.v1.Transaction;
import java.util.Optional;

/**
 * The image a transaction is about: the key of the by-image index, and what query authorization
 * checks a transaction against. One definition for both.
 */
public final class TxImageIds {
  private TxImageIds() {}

  /** The image id a transaction names, or empty when it names none. */
  public static Optional<String> imageIdOf(Transaction tx) {
    var p = tx.getPayload();
    return Optional.ofNullable(
        switch (p.getKindCase()) {
          case IMAGE_ANCHOR -> p.getImageAnchor().getImageId();
          case RECONSTRUCTION_RECORD -> p.getReconstructionRecord().getImageId();
          case VERIFICATION_RECORD -> p.getVerificationRecord().getImageId();
          case ACCESS_GRANT -> p.getAccessGrant().getImageId();
          case ACCESS_REVOKE -> p.getAccessRevoke().getImageId();
          case ACCESS_LOG -> p.getAccessLog().getImageId();
          case IMAGE_REKEY -> p.getImageRekey().getImageId();
          case MODEL_ANCHOR,
              IDENTITY_REGISTRATION,
              EQUIVOCATION_EVIDENCE,
              VALIDATOR_CHANGE,
              KIND_NOT_SET ->
              null;
        });
  }
}
