package io.prosima.consensus.bft;

import com.google.protobuf.Message;
import io.prosima.proto.v1.Proposal;
import io.prosima.proto.v1.Vote;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.Canonical;
import io.prosima.proto.wire.DomainTags;
import io.prosima.proto.wire.Ed25519Keys;
import io.prosima.proto.wire.VerifiedVotes;

/** Signing bytes and signature checks of consensus messages. */
public final class Signing {
  /** Domain tag of proposals; distinct from votes so one can never be replayed as the other. */
  public static final String PROPOSAL_TAG = "prosima/proposal/v2";

  private Signing() {}

  /**
   * "prosima/proposal/v2" || 0x00 || SHA-256(canonical(proposal without signature)). Ed25519 hashes
   * its message with SHA-512 in plain Java, twice to sign and once per check; over a block of
   * thousands of transactions that took a third of the consensus thread. Signing the JDK's
   * (intrinsic) SHA-256 of the same bytes binds exactly as much.
   */
  public static byte[] proposalSigningBytes(Proposal proposal) {
    return DomainTags.withPrefix(
        PROPOSAL_TAG, Canonical.sha256(proposal.toBuilder().clearSignature().build()));
  }

  /**
   * True when a received message is in canonical form: it carries no unknown field at any depth.
   * Its signature covers such fields, but a commit certificate keeps only validator and signature
   * and every verifier rebuilds the vote from known fields, so a vote counted with an extra field
   * would sink the certificate (and the chain, which carries it as the next block's last_commit).
   * Parsing already normalises every other encoding freedom of proto3.
   */
  public static boolean isCanonical(Message m) {
    return !Canonical.hasUnknownFields(m);
  }

  public static boolean verifyProposal(Proposal p) {
    return Ed25519Keys.verify(
        p.getProposer().toByteArray(), proposalSigningBytes(p), p.getSignature().toByteArray());
  }

  /** Remembered when it succeeds: one vote is checked several times (see {@link VerifiedVotes}). */
  public static boolean verifyVote(Vote v) {
    return VerifiedVotes.verify(
        v.getValidator().toByteArray(),
        BlockCodec.voteSigningBytes(v),
        v.getSignature().toByteArray());
  }
}
