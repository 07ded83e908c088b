package io.prosima.consensus.bft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.CommitCertificate;
import io.prosima.proto.v1.CommitSignature;
import io.prosima.proto.v1.Proposal;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.Vote;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.Ed25519Keys;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Signed but malformed input from Byzantine validators and peers (issue "Byzantine-proof
 * consensus"): each case once halted the chain or let a bad block in. Four validators of weight 1;
 * the core under test is v0 and v1 proposes (1, 0).
 */
class BftCoreByzantineInputTest {
  private final TestValidators vals = new TestValidators(1, 1, 1, 1);
  private final Block v = TestValidators.block(1, vals.publicKeys.get(1), 1000);
  private final ByteString vid = TestValidators.id(v);

  private BftCore core(BlockValidator validator) {
    BftCore c =
        new BftCore(
            BftConfig.defaults(TestValidators.CHAIN),
            vals.set,
            vals.privateKeys.get(0),
            validator,
            1,
            SignedVoteRecord.EMPTY);
    c.onEvent(new Event.Start());
    return c;
  }

  /** A field number no version of vote.proto or block.proto uses. */
  private static UnknownFieldSet unknownField() {
    return UnknownFieldSet.newBuilder()
        .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(7).build())
        .build();
  }

  /** A precommit whose signature covers an unknown field: it verifies as received. */
  private Vote precommitWithUnknownField(int signer) {
    Vote unsigned =
        vals.precommit(signer, 1, 0, vid).toBuilder()
            .clearSignature()
            .setUnknownFields(unknownField())
            .build();
    byte[] sig =
        Ed25519Keys.sign(
            vals.privateKeys.get(signer),
            vals.publicKeys.get(signer).toByteArray(),
            BlockCodec.voteSigningBytes(unsigned));
    Vote signed = unsigned.toBuilder().setSignature(ByteString.copyFrom(sig)).build();
    assertTrue(Signing.verifyVote(signed), "the crafted vote must verify as received");
    return signed;
  }

  private CommitCertificate certificate(Block b, int... signers) {
    ByteString id = TestValidators.id(b);
    CommitCertificate.Builder c = CommitCertificate.newBuilder().setHeight(1).setBlockId(id);
    for (int s : signers) {
      Vote p = vals.precommit(s, 1, 0, id);
      c.addSignatures(
          CommitSignature.newBuilder()
              .setValidator(p.getValidator())
              .setSignature(p.getSignature()));
    }
    return c.build();
  }

  private static List<Action.Commit> commits(List<Action> a) {
    return a.stream().filter(x -> x instanceof Action.Commit).map(x -> (Action.Commit) x).toList();
  }

  private static boolean dropped(List<Action> a) {
    return a.stream().anyMatch(x -> x instanceof Action.Dropped);
  }

  @Test
  void aPrecommitWithAnUnknownFieldIsNotCountedSoTheCertificateStillVerifies() {
    BftCore core = core(block -> null);
    List<Action> all = new ArrayList<>();
    all.addAll(core.onEvent(new Event.ProposalReceived(vals.proposal(1, 1, 0, v, -1))));
    all.addAll(core.onEvent(new Event.VoteReceived(vals.prevote(1, 1, 0, vid))));
    all.addAll(core.onEvent(new Event.VoteReceived(vals.prevote(2, 1, 0, vid))));
    all.addAll(core.onEvent(new Event.VoteReceived(vals.precommit(1, 1, 0, vid))));
    List<Action> bad = core.onEvent(new Event.VoteReceived(precommitWithUnknownField(2)));
    assertTrue(dropped(bad), "non-canonical vote must be refused: " + bad);
    all.addAll(bad);
    all.addAll(core.onEvent(new Event.VoteReceived(vals.precommit(3, 1, 0, vid))));
    List<Action.Commit> c = commits(all);
    assertEquals(1, c.size(), "the honest precommits still commit the block: " + all);
    // The certificate goes into the next block as last_commit: every node must accept it.
    assertNull(
        BlockCodec.checkCommit(
            TestValidators.CHAIN, vid.toByteArray(), c.get(0).certificate(), vals.set.weights()));
  }

  @Test
  void aProposalWithAnUnknownFieldIsRefusedAndNeverPrevoted() {
    BftCore core = core(block -> null);
    Proposal signed = vals.proposal(1, 1, 0, v, -1);
    Proposal unsigned =
        signed.toBuilder().clearSignature().setUnknownFields(unknownField()).build();
    byte[] sig =
        Ed25519Keys.sign(
            vals.privateKeys.get(1),
            vals.publicKeys.get(1).toByteArray(),
            Signing.proposalSigningBytes(unsigned));
    Proposal odd = unsigned.toBuilder().setSignature(ByteString.copyFrom(sig)).build();
    assertTrue(Signing.verifyProposal(odd));
    List<Action> a = core.onEvent(new Event.ProposalReceived(odd));
    assertTrue(TestValidators.votes(a).isEmpty(), "no prevote for a non-canonical proposal: " + a);
    assertTrue(dropped(a));
  }

  @Test
  void aSyncedCopyWithATamperedBodyDoesNotMakeTheGenuineBlockWithTheSameIdInvalid() {
    // Body check of the application: the header's tx_count must match the transactions.
    BftCore core =
        core(b -> b.getTxsCount() == b.getHeader().getTxCount() ? null : "tx_count mismatch");
    Block tampered = v.toBuilder().addTxs(Transaction.getDefaultInstance()).build();
    assertEquals(vid, TestValidators.id(tampered), "same header, so same block id");
    List<Action> a = core.onEvent(new Event.CommitReceived(tampered, certificate(v, 1, 2, 3)));
    assertTrue(commits(a).isEmpty());
    a = core.onEvent(new Event.CommitReceived(v, certificate(v, 1, 2, 3)));
    assertEquals(1, commits(a).size(), "the genuine block must still commit: " + a);
    assertEquals(v, commits(a).get(0).block());
  }

  @Test
  void anEquivocatingProposersTamperedCopyDoesNotHideTheGenuineBlockTheQuorumCommits() {
    BftCore core =
        core(b -> b.getTxsCount() == b.getHeader().getTxCount() ? null : "tx_count mismatch");
    Block tampered = v.toBuilder().addTxs(Transaction.getDefaultInstance()).build();
    core.onEvent(new Event.ProposalReceived(vals.proposal(1, 1, 0, tampered, -1)));
    core.onEvent(new Event.ProposalReceived(vals.proposal(1, 1, 0, v, -1)));
    List<Action> all = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      all.addAll(core.onEvent(new Event.VoteReceived(vals.precommit(i, 1, 0, vid))));
    }
    assertEquals(1, commits(all).size(), "the quorum's block must commit: " + all);
    assertEquals(v, commits(all).get(0).block());
  }

  @Test
  void aProposalWhoseHeaderNamesAnotherProposerThanItsSignerIsNotPrevoted() {
    BftCore core = core(block -> null);
    // Signed by v1, the scheduled proposer, but the header credits v2.
    Block credited = TestValidators.block(1, vals.publicKeys.get(2), 1000);
    List<Action> a = core.onEvent(new Event.ProposalReceived(vals.proposal(1, 1, 0, credited, -1)));
    assertFalse(
        TestValidators.votes(a).stream()
            .anyMatch(x -> x.getBlockId().equals(TestValidators.id(credited))),
        "must not prevote a block whose header lies about its proposer: " + a);
  }

  @Test
  void aProposalFromTheFuturePrevotesNilButTheSameBlockCertifiedBySyncStillCommits() {
    long nowMs = 5_000;
    BlockValidator clocked =
        new BlockValidator() {
          @Override
          public String check(Block block) {
            return null;
          }

          @Override
          public String timely(Block block) {
            return Long.compareUnsigned(block.getHeader().getTimeMs(), nowMs) > 0
                ? "block time is in the future"
                : null;
          }
        };
    BftCore core = core(clocked);
    Block future = TestValidators.block(1, vals.publicKeys.get(1), Long.MAX_VALUE);
    List<Action> a = core.onEvent(new Event.ProposalReceived(vals.proposal(1, 1, 0, future, -1)));
    List<Vote> votes = TestValidators.votes(a);
    assertEquals(1, votes.size(), a.toString());
    assertTrue(votes.get(0).getBlockId().isEmpty(), "prevote nil, not the future block");
    // Sync: a block the quorum certified is history; the local clock has no say.
    a = core.onEvent(new Event.CommitReceived(future, certificate(future, 1, 2, 3)));
    assertEquals(1, commits(a).size(), a.toString());
  }
}
