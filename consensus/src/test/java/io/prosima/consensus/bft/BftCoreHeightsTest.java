package io.prosima.consensus.bft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.CommitCertificate;
import io.prosima.proto.v1.CommitSignature;
import io.prosima.proto.v1.Vote;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Heights, block sync, buffering and the validRound justification. */
class BftCoreHeightsTest {
  private final TestValidators vals = new TestValidators(1, 1, 1, 1);
  private final Block v = TestValidators.block(1, TestValidators.key(1), 1000);

  private CommitCertificate certificate(Block b, int... signers) {
    ByteString id = TestValidators.id(b);
    CommitCertificate.Builder c =
        CommitCertificate.newBuilder().setHeight(b.getHeader().getHeight()).setBlockId(id);
    for (int s : signers) {
      Vote p = vals.precommit(s, b.getHeader().getHeight(), 0, id);
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

  @Test
  void aBlockWithAQuorumCertificateFromAPeerIsCommitted() {
    BftCore core = vals.core(0, 1, SignedVoteRecord.EMPTY);
    core.onEvent(new Event.Start());
    List<Action> a = core.onEvent(new Event.CommitReceived(v, certificate(v, 1, 2, 3)));
    assertEquals(1, commits(a).size());
    assertEquals(v, commits(a).get(0).block());
  }

  @Test
  void aCertificateWithoutAQuorumIsDroppedWithItsReason() {
    BftCore core = vals.core(0, 1, SignedVoteRecord.EMPTY);
    core.onEvent(new Event.Start());
    List<Action> a = core.onEvent(new Event.CommitReceived(v, certificate(v, 1, 2)));
    assertTrue(commits(a).isEmpty());
    assertTrue(a.toString().contains("need more than 2/3"), a.toString());
  }

  @Test
  void votesForTheNextHeightAreBufferedAndCountedAfterNewHeight() {
    BftCore core = vals.core(0, 1, SignedVoteRecord.EMPTY);
    core.onEvent(new Event.Start());
    Block next = TestValidators.block(2, TestValidators.key(2), 3000);
    ByteString nid = TestValidators.id(next);
    for (int i = 1; i <= 3; i++) {
      List<Action> a = core.onEvent(new Event.VoteReceived(vals.precommit(i, 2, 0, nid)));
      assertTrue(commits(a).isEmpty());
    }
    core.onEvent(new Event.CommitReceived(v, certificate(v, 1, 2, 3)));
    core.onEvent(new Event.NewHeight(2));
    // Proposer of (2, 0) is v2; with the buffered precommits its proposal decides at once.
    List<Action> a = core.onEvent(new Event.ProposalReceived(vals.proposal(2, 2, 0, next, -1)));
    assertEquals(1, commits(a).size());
    assertEquals(2, commits(a).get(0).height());
  }

  @Test
  void aProposerReproposingItsValidValueAlsoSendsThePrevotesThatJustifyIt_line28() {
    // v2 proposes at (1, 1): make it see 2f+1 prevotes for v in round 0 first (lines 36, 42–43).
    BftCore core = vals.core(2, 1, SignedVoteRecord.EMPTY);
    core.onEvent(new Event.Start());
    core.onEvent(new Event.ProposalReceived(vals.proposal(1, 1, 0, v, -1)));
    ByteString vid = TestValidators.id(v);
    core.onEvent(new Event.VoteReceived(vals.prevote(0, 1, 0, vid)));
    core.onEvent(new Event.VoteReceived(vals.prevote(1, 1, 0, vid)));
    List<Action> a = core.onEvent(new Event.TimeoutFired(1, 0, Step.PRECOMMIT));
    // Round 1 starts; v2 proposes v again with validRound 0 and sends the three prevotes.
    List<Action.Broadcast> sent =
        a.stream()
            .filter(x -> x instanceof Action.Broadcast)
            .map(x -> (Action.Broadcast) x)
            .toList();
    assertTrue(sent.get(0).message().hasProposal(), a.toString());
    assertEquals(0, sent.get(0).message().getProposal().getValidRound());
    long justifying =
        sent.stream()
            .filter(b -> b.message().hasVote())
            .map(b -> b.message().getVote())
            .filter(x -> x.getRound() == 0 && x.getBlockId().equals(vid))
            .count();
    assertEquals(3, justifying);
  }

  @Test
  void anEquivocatorsSecondVoteCountsTowardsItsOwnBlockSoHonestNodesCanFormTheSameQuorum() {
    BftCore core = vals.core(0, 1, SignedVoteRecord.EMPTY);
    core.onEvent(new Event.Start());
    Block w = TestValidators.block(1, TestValidators.key(3), 2000);
    core.onEvent(new Event.ProposalReceived(vals.proposal(1, 1, 0, v, -1))); // v0 prevotes v
    core.onEvent(new Event.VoteReceived(vals.prevote(3, 1, 0, TestValidators.id(w))));
    core.onEvent(new Event.VoteReceived(vals.prevote(2, 1, 0, TestValidators.id(v))));
    // v3 equivocates: its prevote for v completes the quorum (v0, v2, v3).
    List<Action> a =
        core.onEvent(new Event.VoteReceived(vals.prevote(3, 1, 0, TestValidators.id(v))));
    assertTrue(a.stream().anyMatch(x -> x instanceof Action.EvidenceFound));
    assertEquals(TestValidators.id(v), TestValidators.votes(a).get(0).getBlockId());
    assertEquals(0, core.lockedRound());
  }
}
