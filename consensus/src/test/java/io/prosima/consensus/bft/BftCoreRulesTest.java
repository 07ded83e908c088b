package io.prosima.consensus.bft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.Vote;
import io.prosima.proto.v1.VoteType;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Single-core tests of the upon-rules of Algorithm 1 (arXiv:1807.04938). Four validators of weight
 * 1: a quorum is 3, f+1 is 2. The core under test is v0; proposers at height 1 are v1, v2, v3 for
 * rounds 0, 1, 2.
 */
class BftCoreRulesTest {
  private TestValidators vals;
  private BftCore core;
  private final Block v = TestValidators.block(1, TestValidators.key(1), 1000);
  private final Block w = TestValidators.block(1, TestValidators.key(2), 2000);

  @BeforeEach
  void setUp() {
    vals = new TestValidators(1, 1, 1, 1);
    core = vals.core(0, 1, SignedVoteRecord.EMPTY);
    core.onEvent(new Event.Start());
  }

  @Test
  void theScheduleMakesV1V2V3TheProposersOfRoundsZeroToTwoAtHeightOne() {
    assertEquals(vals.publicKeys.get(1), core.schedule().proposer(1, 0));
    assertEquals(vals.publicKeys.get(2), core.schedule().proposer(1, 1));
    assertEquals(vals.publicKeys.get(3), core.schedule().proposer(1, 2));
  }

  /** Drives v0 to lock on v in round 0 (lines 22–23 then 36–41), then into round 1 (line 65). */
  private void lockOnVInRoundZero() {
    List<Action> a = core.onEvent(new Event.ProposalReceived(vals.proposal(1, 1, 0, v, -1)));
    assertEquals(TestValidators.id(v), TestValidators.votes(a).get(0).getBlockId());
    core.onEvent(new Event.VoteReceived(vals.prevote(1, 1, 0, TestValidators.id(v))));
    a = core.onEvent(new Event.VoteReceived(vals.prevote(2, 1, 0, TestValidators.id(v))));
    Vote precommit = TestValidators.votes(a).get(0);
    assertEquals(VoteType.VOTE_TYPE_PRECOMMIT, precommit.getType());
    assertEquals(TestValidators.id(v), precommit.getBlockId());
    assertEquals(0, core.lockedRound());
    core.onEvent(new Event.TimeoutFired(1, 0, Step.PRECOMMIT));
    assertEquals(1, core.round());
  }

  @Test
  void aNodeLockedOnVPrevotesNilForAnotherValueProposedWithoutValidRound_lines22to24() {
    lockOnVInRoundZero();
    List<Action> a = core.onEvent(new Event.ProposalReceived(vals.proposal(2, 1, 1, w, -1)));
    Vote prevote = TestValidators.votes(a).get(0);
    assertEquals(VoteType.VOTE_TYPE_PREVOTE, prevote.getType());
    assertTrue(prevote.getBlockId().isEmpty(), "locked node must prevote nil, not w");
  }

  @Test
  void aLockedNodePrevotesANewValueBackedByQuorumPrevotesAtValidRoundAboveItsLock_lines28to29() {
    lockOnVInRoundZero();
    ByteString wid = TestValidators.id(w);
    // Round 1: v0 times out on the proposal and prevotes nil; the others prevote w.
    core.onEvent(new Event.TimeoutFired(1, 1, Step.PROPOSE));
    for (int i = 1; i <= 3; i++) {
      core.onEvent(new Event.VoteReceived(vals.prevote(i, 1, 1, wid)));
    }
    core.onEvent(new Event.TimeoutFired(1, 1, Step.PRECOMMIT));
    assertEquals(2, core.round());
    List<Action> a = core.onEvent(new Event.ProposalReceived(vals.proposal(3, 1, 2, w, 1)));
    Vote prevote = TestValidators.votes(a).get(0);
    assertEquals(wid, prevote.getBlockId(), "validRound 1 >= lockedRound 0 with 2f+1 prevotes");
  }

  @Test
  void aProposalWithValidRoundWaitsUntilItsQuorumPrevotesArrive_line28() {
    lockOnVInRoundZero();
    ByteString wid = TestValidators.id(w);
    core.onEvent(new Event.TimeoutFired(1, 1, Step.PROPOSE));
    core.onEvent(new Event.TimeoutFired(1, 1, Step.PREVOTE));
    core.onEvent(new Event.TimeoutFired(1, 1, Step.PRECOMMIT));
    List<Action> a = core.onEvent(new Event.ProposalReceived(vals.proposal(3, 1, 2, w, 1)));
    assertTrue(TestValidators.votes(a).isEmpty(), "no 2f+1 prevotes for w in round 1 yet");
    core.onEvent(new Event.VoteReceived(vals.prevote(1, 1, 1, wid)));
    core.onEvent(new Event.VoteReceived(vals.prevote(2, 1, 1, wid)));
    a = core.onEvent(new Event.VoteReceived(vals.prevote(3, 1, 1, wid)));
    assertEquals(wid, TestValidators.votes(a).get(0).getBlockId());
  }

  @Test
  void messagesFromFPlusOneWeightInAHigherRoundMakeTheNodeSkipToThatRound_line55() {
    core.onEvent(new Event.VoteReceived(vals.prevote(1, 1, 5, ByteString.EMPTY)));
    assertEquals(0, core.round(), "one validator (weight 1) is not more than 1/3");
    core.onEvent(new Event.VoteReceived(vals.precommit(2, 1, 5, ByteString.EMPTY)));
    assertEquals(5, core.round());
    assertEquals(Step.PROPOSE, core.step());
  }

  @Test
  void aQuorumOfPrecommitsForTheProposedBlockCommitsItWithACertificate_line49() {
    List<Action> a = core.onEvent(new Event.ProposalReceived(vals.proposal(1, 1, 0, v, -1)));
    ByteString vid = TestValidators.id(v);
    for (int i = 1; i <= 2; i++) {
      core.onEvent(new Event.VoteReceived(vals.precommit(i, 1, 0, vid)));
    }
    a = core.onEvent(new Event.VoteReceived(vals.precommit(3, 1, 0, vid)));
    Action.Commit commit =
        a.stream()
            .filter(x -> x instanceof Action.Commit)
            .map(x -> (Action.Commit) x)
            .findFirst()
            .orElseThrow();
    assertEquals(1, commit.height());
    assertNull(
        io.prosima.proto.wire.BlockCodec.checkCommit(
            TestValidators.CHAIN, vid.toByteArray(), commit.certificate(), vals.set.weights()));
  }

  @Test
  void aConflictingSecondVoteFromOneValidatorIsReportedAsEvidence() {
    core.onEvent(new Event.VoteReceived(vals.prevote(1, 1, 0, TestValidators.id(v))));
    List<Action> a =
        core.onEvent(new Event.VoteReceived(vals.prevote(1, 1, 0, TestValidators.id(w))));
    Action.EvidenceFound ev =
        (Action.EvidenceFound)
            a.stream().filter(x -> x instanceof Action.EvidenceFound).findFirst().orElseThrow();
    assertEquals(TestValidators.id(v), ev.evidence().getVoteA().getBlockId());
    assertEquals(TestValidators.id(w), ev.evidence().getVoteB().getBlockId());
  }

  @Test
  void aVoteWithABadSignatureOrFromANonValidatorIsDroppedWithAReason() {
    Vote good = vals.prevote(1, 1, 0, TestValidators.id(v));
    Vote forged = good.toBuilder().setBlockId(TestValidators.id(w)).build();
    List<Action> a = core.onEvent(new Event.VoteReceived(forged));
    assertTrue(a.contains(new Action.Dropped("vote signature invalid")), a.toString());
    Vote stranger = good.toBuilder().setValidator(ByteString.copyFrom(new byte[32])).build();
    a = core.onEvent(new Event.VoteReceived(stranger));
    assertTrue(a.contains(new Action.Dropped("vote from a non-validator")), a.toString());
  }

  @Test
  void aProposalFromAValidatorNotScheduledForTheRoundIsDropped() {
    List<Action> a = core.onEvent(new Event.ProposalReceived(vals.proposal(2, 1, 0, v, -1)));
    assertTrue(TestValidators.votes(a).isEmpty());
    assertTrue(a.stream().anyMatch(x -> x instanceof Action.Dropped), a.toString());
  }
}
