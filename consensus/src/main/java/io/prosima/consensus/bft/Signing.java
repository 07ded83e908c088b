package io.prosima.consensus.bft;

import com.google.protobuf.Message;
import io.prosima.proto.v1.Proposal;
import io.prosima.proto.v1.Vote;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.BlockMemo;
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
   * "prosima/proposal/v2" || 0x00 || canonical(proposal without signature and block) || d, with d =
   * SHA-256(canonical(block)) when the block is present and 32 zero bytes when not. Ed25519 hashes
   * its whole message with SHA-512 in plain Java, twice to sign and once per check; over a block of
   * thousands of transactions that took a third of the consensus thread. Signing the block's
   * SHA-256 binds it as tightly, and that digest is computed once per block object ({@link
   * BlockMemo}), shared with the core's per-digest validity cache. The digest is fixed-size and
   * last, so the encoding stays unambiguous.
   */
  public static byte[] proposalSigningBytes(Proposal proposal) {
    byte[] rest = Canonical.bytes(proposal.toBuilder().clearSignature().clearBlock().build());
    byte[] digest = proposal.hasBlock() ? BlockMemo.digest(proposal.getBlock()) : new byte[32];
    byte[] body = new byte[rest.length + digest.length];
    System.arraycopy(rest, 0, body, 0, rest.length);
    System.arraycopy(digest, 0, body, rest.length, digest.length);
    return DomainTags.withPrefix(PROPOSAL_TAG, body);
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
