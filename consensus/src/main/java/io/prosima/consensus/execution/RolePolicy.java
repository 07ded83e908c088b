package io.prosima.consensus.execution;

import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.Role;
import java.util.EnumSet;
import java.util.Set;

/** Which roles may sign which payloads (DESIGN.md, Ledger: identities). */
final class RolePolicy {
  private RolePolicy() {}

  /** Payloads only genesis validators may sign (validators are not client identities). */
  static boolean validatorsOnly(Payload.KindCase kind) {
    return kind == Payload.KindCase.EQUIVOCATION_EVIDENCE
        || kind == Payload.KindCase.VALIDATOR_CHANGE;
  }

  static Set<Role> allowed(Payload.KindCase kind) {
    return switch (kind) {
      // Hospitals own images: they anchor them, grant and revoke access, record reconstructions.
      case IMAGE_ANCHOR, IMAGE_REKEY, ACCESS_GRANT, ACCESS_REVOKE, RECONSTRUCTION_RECORD ->
          EnumSet.of(Role.ROLE_HOSPITAL);
      // Hospitals train and anchor models (PROSIMA protocol 1); admins anchor shared releases.
      case MODEL_ANCHOR -> EnumSet.of(Role.ROLE_HOSPITAL, Role.ROLE_ADMIN);
      // Auditors are read-only except for verification records; hospitals verify their own too.
      case VERIFICATION_RECORD -> EnumSet.of(Role.ROLE_AUDITOR, Role.ROLE_HOSPITAL);
      case ACCESS_LOG -> EnumSet.of(Role.ROLE_HOSPITAL, Role.ROLE_AUDITOR, Role.ROLE_ADMIN);
      case IDENTITY_REGISTRATION -> EnumSet.of(Role.ROLE_ADMIN);
      // No client role: only genesis validators, see validatorsOnly.
      // Proposed by a validator of the current set; approved inside by > 2/3 of the weight.
      case EQUIVOCATION_EVIDENCE, VALIDATOR_CHANGE -> EnumSet.noneOf(Role.class);
      case KIND_NOT_SET -> EnumSet.noneOf(Role.class);
    };
  }
}
