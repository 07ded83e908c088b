package io.prosima.consensus.bft;

import com.google.protobuf.ByteString;
import io.prosima.genesis.ValidatorSet;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.BlockHeader;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.Proposal;
import io.prosima.proto.v1.Validator;
import io.prosima.proto.v1.Vote;
import io.prosima.proto.v1.VoteType;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.Ed25519Keys;
import io.prosima.proto.wire.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Deterministic validator keys and signed messages for core tests. */
final class TestValidators {
  static final String CHAIN = "test-chain";

  final List<byte[]> privateKeys = new ArrayList<>();
  final List<ByteString> publicKeys = new ArrayList<>();
  final ValidatorSet set;

  TestValidators(long... weights) {
    Genesis.Builder g = Genesis.newBuilder().setChainId(CHAIN);
    for (int i = 0; i < weights.length; i++) {
      byte[] sk = privateKey(i);
      privateKeys.add(sk);
      ByteString pk = key(i);
      publicKeys.add(pk);
      g.addValidators(
          Validator.newBuilder().setName("v" + i).setPublicKey(pk).setVotingWeight(weights[i]));
    }
    set = new ValidatorSet(g.build());
  }

  private static byte[] privateKey(int i) {
    return Sha256.hash(("validator-" + i).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Public key of validator {@code i}, for blocks built before the set: a new proposal's header
   * must name its signer.
   */
  static ByteString key(int i) {
    return ByteString.copyFrom(Ed25519Keys.publicKey(privateKey(i)));
  }

  int indexOf(ByteString key) {
    return publicKeys.indexOf(key);
  }

  BftCore core(int i, long height, SignedVoteRecord record) {
    return new BftCore(
        BftConfig.defaults(CHAIN), set, privateKeys.get(i), block -> null, height, record);
  }

  static Block block(long height, ByteString proposer, long timeMs) {
    return Block.newBuilder()
        .setHeader(
            BlockHeader.newBuilder()
                .setChainId(CHAIN)
                .setHeight(height)
                .setTimeMs(timeMs)
                .setPreviousHash(ByteString.copyFrom(new byte[32]))
                .setProposer(proposer))
        .build();
  }

  static ByteString id(Block b) {
    return ByteString.copyFrom(BlockCodec.blockId(b.getHeader()));
  }

  Proposal proposal(int signer, long height, int round, Block block, int validRound) {
    Proposal p =
        Proposal.newBuilder()
            .setChainId(CHAIN)
            .setHeight(height)
            .setRound(round)
            .setBlock(block)
            .setValidRound(validRound)
            .setProposer(publicKeys.get(signer))
            .build();
    byte[] sig =
        Ed25519Keys.sign(
            privateKeys.get(signer),
            publicKeys.get(signer).toByteArray(),
            Signing.proposalSigningBytes(p));
    return p.toBuilder().setSignature(ByteString.copyFrom(sig)).build();
  }

  Vote vote(int signer, VoteType type, long height, int round, ByteString blockId) {
    Vote v =
        Vote.newBuilder()
            .setChainId(CHAIN)
            .setType(type)
            .setHeight(height)
            .setRound(round)
            .setBlockId(blockId)
            .setValidator(publicKeys.get(signer))
            .build();
    byte[] sig =
        Ed25519Keys.sign(
            privateKeys.get(signer),
            publicKeys.get(signer).toByteArray(),
            BlockCodec.voteSigningBytes(v));
    return v.toBuilder().setSignature(ByteString.copyFrom(sig)).build();
  }

  Vote prevote(int signer, long height, int round, ByteString blockId) {
    return vote(signer, VoteType.VOTE_TYPE_PREVOTE, height, round, blockId);
  }

  Vote precommit(int signer, long height, int round, ByteString blockId) {
    return vote(signer, VoteType.VOTE_TYPE_PRECOMMIT, height, round, blockId);
  }

  /** Signed votes broadcast in {@code actions}. */
  static List<Vote> votes(List<Action> actions) {
    List<Vote> out = new ArrayList<>();
    for (Action a : actions) {
      if (a instanceof Action.Broadcast b && b.message().hasVote()) {
        out.add(b.message().getVote());
      }
    }
    return out;
  }
}
