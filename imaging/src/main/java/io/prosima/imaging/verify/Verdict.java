package io.prosima.imaging.verify;

/** The verdict on a whole image (DESIGN.md, Provenance pipeline: verification). */
public enum Verdict {
  /** Every tile's content hash equals the anchored one: the image is the anchored image. */
  AUTHENTIC,
  /** Some pixels differ, but every changed tile still embeds close to its anchored latent. */
  SEMANTICALLY_CONSISTENT,
  /** At least one tile is not the anchored content (named in the result). */
  TAMPERED;

  /** The ledger's verdict for a {@code VerificationRecord}. */
  public io.prosima.proto.v1.Verdict toProto() {
    return switch (this) {
      case AUTHENTIC -> io.prosima.proto.v1.Verdict.VERDICT_AUTHENTIC;
      case SEMANTICALLY_CONSISTENT -> io.prosima.proto.v1.Verdict.VERDICT_SEMANTICALLY_CONSISTENT;
      case TAMPERED -> io.prosima.proto.v1.Verdict.VERDICT_TAMPERED;
    };
  }
}
