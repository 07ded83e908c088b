package io.prosima.proto.wire;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.BlockHeader;
import io.prosima.proto.v1.CommitCertificate;
import io.prosima.proto.v1.CommitSignature;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.Vote;
import io.prosima.proto.v1.VoteType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Block ids, tx roots, votes and commit certificates. */
public final class BlockCodec {
  private BlockCodec() {}

  /** Block id = SHA-256("prosima/header/v1" || 0x00 || canonical(header)). */
  public static byte[] blockId(BlockHeader header) {
    return Sha256.tagged(DomainTags.HEADER, Canonical.bytes(header));
  }

  /** Merkle root over the transaction hashes, in block order. */
  public static byte[] txRoot(List<Transaction> txs) {
    return MerkleTree.root(txHashes(txs));
  }

  public static List<byte[]> txHashes(List<Transaction> txs) {
    List<byte[]> hashes = new ArrayList<>(txs.size());
    for (Transaction tx : txs) {
      hashes.add(TxCodec.hash(tx));
    }
    return hashes;
  }

  /** Vote signing bytes = "prosima/vote/v1" || 0x00 || canonical(vote without signature). */
  public static byte[] voteSigningBytes(Vote vote) {
    return DomainTags.withPrefix(
        DomainTags.VOTE, Canonical.bytes(vote.toBuilder().clearSignature().build()));
  }

  /** The precommit a validator signs to commit {@code blockId}. */
  public static Vote precommit(String chainId, long height, int round, byte[] blockId, byte[] key) {
    return Vote.newBuilder()
        .setChainId(chainId)
        .setType(VoteType.VOTE_TYPE_PRECOMMIT)
        .setHeight(height)
        .setRound(round)
        .setBlockId(ByteString.copyFrom(blockId))
        .setValidator(ByteString.copyFrom(key))
        .build();
  }

  /**
   * Checks a commit certificate: it names {@code blockId}, each signature is a valid precommit of a
   * distinct validator in {@code weights}, and the signers hold more than 2/3 of the total weight.
   * Returns null when valid, otherwise the reason.
   */
  public static String checkCommit(
      String chainId, byte[] blockId, CommitCertificate cert, Map<ByteString, Long> weights) {
    if (!Arrays.equals(cert.getBlockId().toByteArray(), blockId)) {
      return "certificate names another block";
    }
    long total = 0;
    for (long w : weights.values()) {
      total += w;
    }
    long signed = 0;
    Set<ByteString> seen = new HashSet<>();
    for (CommitSignature sig : cert.getSignaturesList()) {
      Long weight = weights.get(sig.getValidator());
      if (weight == null) {
        return "signature by a key that is not a validator";
      }
      if (!seen.add(sig.getValidator())) {
        return "validator signed twice";
      }
      Vote vote =
          precommit(
              chainId,
              cert.getHeight(),
              cert.getRound(),
              blockId,
              sig.getValidator().toByteArray());
      if (!VerifiedVotes.verify(
          sig.getValidator().toByteArray(),
          voteSigningBytes(vote),
          sig.getSignature().toByteArray())) {
        return "invalid precommit signature";
      }
      signed += weight;
    }
    // signed > 2/3 total, in integers.
    if (3 * signed <= 2 * total) {
      return "signers hold " + signed + " of " + total + " weight, need more than 2/3";
    }
    return null;
  }
}
