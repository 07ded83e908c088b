package io.prosima.consensus.execution;

import com.google.protobuf.ByteString;
import io.prosima.genesis.ValidatorSet;
import io.prosima.proto.v1.EquivocationEvidence;
import io.prosima.proto.v1.Evidence;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.Vote;
import io.prosima.proto.v1.VoteType;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.Ed25519Keys;
import java.util.Map;

/**
 * Equivocation evidence as a transaction (payload kind 9): building the payload, and the check
 * execution runs on it. The node's consensus driver builds the payload from the evidence the BFT
 * core reports and signs the transaction with its own validator key.
 *
 * <p>Evidence is valid when both votes are for the transaction's chain, have the same type (prevote
 * or precommit), height and round, are from the same genesis validator, name different block ids
 * (an empty id is a nil vote), and both signatures verify. Which vote is {@code vote_a} does not
 * matter.
 */
public final class EvidenceTxs {
  static final int BLOCK_ID_BYTES = 32;

  private EvidenceTxs() {}

  /** The payload that records {@code evidence} on chain. */
  public static Payload payload(Evidence evidence) {
    return Payload.newBuilder()
        .setEquivocationEvidence(EquivocationEvidence.newBuilder().setEvidence(evidence))
        .build();
  }

  /** Null when {@code evidence} proves an equivocation on {@code chainId}; the reason otherwise. */
  public static String check(String chainId, ValidatorSet validators, Evidence evidence) {
    return check(chainId, validators.weights(), evidence);
  }

  /**
   * Null when {@code evidence} proves an equivocation on {@code chainId} by a key of {@code
   * validators} (public key to voting weight); the reason otherwise.
   */
  public static String check(String chainId, Map<ByteString, Long> validators, Evidence evidence) {
    if (!evidence.hasVoteA() || !evidence.hasVoteB()) {
      return "evidence needs two votes";
    }
    Vote a = evidence.getVoteA();
    Vote b = evidence.getVoteB();
    if (!a.getChainId().equals(chainId) || !b.getChainId().equals(chainId)) {
      return "both votes must be for chain '" + chainId + "'";
    }
    if (!isPrevoteOrPrecommit(a.getType()) || !isPrevoteOrPrecommit(b.getType())) {
      return "each vote must be a prevote or a precommit";
    }
    if (a.getType() != b.getType()) {
      return "the votes have different types (" + a.getType() + ", " + b.getType() + ")";
    }
    if (a.getHeight() != b.getHeight()) {
      return "the votes are for different heights ("
          + Long.toUnsignedString(a.getHeight())
          + ", "
          + Long.toUnsignedString(b.getHeight())
          + ")";
    }
    if (a.getHeight() == 0) {
      return "the votes must be for a height of at least 1";
    }
    if (a.getRound() != b.getRound()) {
      return "the votes are for different rounds ("
          + Integer.toUnsignedString(a.getRound())
          + ", "
          + Integer.toUnsignedString(b.getRound())
          + ")";
    }
    if (!a.getValidator().equals(b.getValidator())) {
      return "the votes are from different validators";
    }
    if (!blockIdWellFormed(a.getBlockId()) || !blockIdWellFormed(b.getBlockId())) {
      return "each block_id must be empty (nil) or " + BLOCK_ID_BYTES + " bytes";
    }
    if (a.getBlockId().equals(b.getBlockId())) {
      return "the votes are for the same block id; that is not an equivocation";
    }
    if (!validators.containsKey(a.getValidator())) {
      return "the votes' signer is not a genesis validator";
    }
    if (!signatureValid(a)) {
      return "vote_a's signature does not verify";
    }
    if (!signatureValid(b)) {
      return "vote_b's signature does not verify";
    }
    return null;
  }

  private static boolean isPrevoteOrPrecommit(VoteType type) {
    return type == VoteType.VOTE_TYPE_PREVOTE || type == VoteType.VOTE_TYPE_PRECOMMIT;
  }

  private static boolean blockIdWellFormed(ByteString id) {
    return id.isEmpty() || id.size() == BLOCK_ID_BYTES;
  }

  private static boolean signatureValid(Vote v) {
    return v.getValidator().size() == Ed25519Keys.PUBLIC_KEY_BYTES
        && v.getSignature().size() == Ed25519Keys.SIGNATURE_BYTES
        && Ed25519Keys.verify(
            v.getValidator().toByteArray(),
            BlockCodec.voteSigningBytes(v),
            v.getSignature().toByteArray());
  }
}
