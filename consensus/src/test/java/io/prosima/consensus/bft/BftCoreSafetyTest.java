package io.prosima.consensus.bft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.Vote;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Persist-before-send, no double signing across restarts, and timeouts. */
class BftCoreSafetyTest {
  private final TestValidators vals = new TestValidators(1, 1, 1, 1);
  private final Block v = TestValidators.block(1, TestValidators.key(1), 1000);
  private final Block w = TestValidators.block(1, TestValidators.key(2), 2000);

  @Test
  void everySignedMessageIsPrecededByAPersistOfTheRecordThatHoldsIt() {
    // v1 proposes at (1, 0): exercises proposal signing as well as votes.
    BftCore core = vals.core(1, 1, SignedVoteRecord.EMPTY);
    List<Action> a = core.onEvent(new Event.Start());
    assertInstanceOf(Action.RequestProposal.class, a.get(0));
    a =
        core.onEvent(
            new Event.BlockReady(1, 0, TestValidators.block(1, vals.publicKeys.get(1), 5)));
    int persisted = 0;
    int broadcasts = 0;
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) instanceof Action.Broadcast b) {
        broadcasts++;
        assertInstanceOf(Action.PersistVote.class, a.get(i - 1), "persist must come first");
        SignedVoteRecord r = ((Action.PersistVote) a.get(i - 1)).record();
        if (b.message().hasVote()) {
          assertTrue(b.message().getVote().equals(r.lastPrevote()));
        } else {
          assertEquals(b.message().getProposal(), r.lastProposal());
        }
      } else if (a.get(i) instanceof Action.PersistVote) {
        persisted++;
      }
    }
    assertEquals(2, broadcasts, "proposal and prevote: " + a);
    assertEquals(2, persisted);
  }

  @Test
  void aRestartedNodeResendsItsSignedPrevoteInsteadOfSigningADifferentOne() {
    BftCore before = vals.core(0, 1, SignedVoteRecord.EMPTY);
    before.onEvent(new Event.Start());
    List<Action> a = before.onEvent(new Event.TimeoutFired(1, 0, Step.PROPOSE)); // prevote nil
    Vote nil = TestValidators.votes(a).get(0);
    assertTrue(nil.getBlockId().isEmpty());

    // Crash: only the record survives. The restarted core now sees the proposal for v.
    BftCore after = vals.core(0, 1, before.record());
    after.onEvent(new Event.Start());
    a = after.onEvent(new Event.ProposalReceived(vals.proposal(1, 1, 0, v, -1)));
    List<Vote> sent = TestValidators.votes(a);
    assertEquals(List.of(nil), sent, "must resend the nil prevote, never sign one for v");
    assertTrue(a.stream().noneMatch(x -> x instanceof Action.PersistVote));
  }

  @Test
  void aRestartedNodeResumesAtTheRoundOfItsLastSignedVote() {
    BftCore before = vals.core(0, 1, SignedVoteRecord.EMPTY);
    before.onEvent(new Event.Start());
    before.onEvent(new Event.VoteReceived(vals.precommit(1, 1, 3, ByteString.EMPTY)));
    before.onEvent(new Event.VoteReceived(vals.precommit(2, 1, 3, ByteString.EMPTY)));
    assertEquals(3, before.round());
    before.onEvent(new Event.TimeoutFired(1, 3, Step.PROPOSE));
    BftCore after = vals.core(0, 1, before.record());
    after.onEvent(new Event.Start());
    assertEquals(3, after.round());
  }

  @Test
  void aRestartedNodeKeepsItsLockFromTheRecord_lines22to24() {
    BftCore before = vals.core(0, 1, SignedVoteRecord.EMPTY);
    before.onEvent(new Event.Start());
    before.onEvent(new Event.ProposalReceived(vals.proposal(1, 1, 0, v, -1)));
    before.onEvent(new Event.VoteReceived(vals.prevote(1, 1, 0, TestValidators.id(v))));
    before.onEvent(new Event.VoteReceived(vals.prevote(2, 1, 0, TestValidators.id(v))));
    assertEquals(0, before.lockedRound());
    BftCore after = vals.core(0, 1, before.record());
    after.onEvent(new Event.Start());
    after.onEvent(new Event.VoteReceived(vals.prevote(1, 1, 1, ByteString.EMPTY)));
    after.onEvent(new Event.VoteReceived(vals.prevote(2, 1, 1, ByteString.EMPTY)));
    assertEquals(1, after.round());
    List<Action> a = after.onEvent(new Event.ProposalReceived(vals.proposal(2, 1, 1, w, -1)));
    assertTrue(TestValidators.votes(a).get(0).getBlockId().isEmpty());
  }

  @Test
  void timeoutsGrowByTheirDeltaEachRound_lines18_35_48() {
    BftConfig c = BftConfig.defaults("x");
    for (Step s : Step.values()) {
      long t0 = c.timeoutMs(s, 0);
      assertEquals(t0 + 50, c.timeoutMs(s, 1));
      assertEquals(t0 + 500, c.timeoutMs(s, 10));
      assertEquals(BftConfig.DEFAULT_TIMEOUT_MS_MAX, c.timeoutMs(s, Integer.MAX_VALUE));
    }
    BftCore core = vals.core(0, 1, SignedVoteRecord.EMPTY);
    core.onEvent(new Event.Start());
    for (int r = 0; r < 3; r++) {
      core.onEvent(new Event.TimeoutFired(1, r, Step.PROPOSE));
      core.onEvent(new Event.TimeoutFired(1, r, Step.PREVOTE));
      List<Action> a = core.onEvent(new Event.TimeoutFired(1, r, Step.PRECOMMIT));
      Action.ScheduleTimeout t = (Action.ScheduleTimeout) a.get(a.size() - 1);
      assertEquals(r + 1, t.round());
      assertEquals(c.timeoutMs(Step.PROPOSE, r + 1), t.delayMs());
    }
  }

  @Test
  void theProposerScheduleGivesEachValidatorItsWeightOncePerPeriod() {
    TestValidators uneven = new TestValidators(5, 3, 1, 2);
    ProposerSchedule s = new ProposerSchedule(uneven.set.weights());
    assertEquals(11, s.period());
    int[] counts = new int[4];
    for (int r = 0; r < s.period(); r++) {
      counts[uneven.indexOf(s.proposer(7, r))]++;
    }
    assertEquals(List.of(5, 3, 1, 2), List.of(counts[0], counts[1], counts[2], counts[3]));
  }
}
