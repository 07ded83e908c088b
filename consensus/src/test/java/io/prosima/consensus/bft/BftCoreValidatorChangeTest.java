package io.prosima.consensus.bft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.genesis.ValidatorSet;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.CommitCertificate;
import io.prosima.proto.v1.CommitSignature;
import io.prosima.proto.v1.Vote;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: the core's validator set is a function of height. A key outside the set of the current
 * height signs nothing and follows commits; from the height its set includes it, it votes, and
 * votes are counted against the set of their own height.
 */
class BftCoreValidatorChangeTest {
  static final long JOIN_HEIGHT = 3;

  private final TestValidators vals = new TestValidators(1, 1, 1, 1, 1);
  private final ValidatorSet four = new ValidatorSet(vals.set.validators().subList(0, 4));
  private final LongFunction<ValidatorSet> sets = h -> h < JOIN_HEIGHT ? four : vals.set;

  private BftCore core(int i) {
    return new BftCore(
        BftConfig.defaults(TestValidators.CHAIN),
        sets,
        vals.privateKeys.get(i),
        block -> null,
        1,
        SignedVoteRecord.EMPTY);
  }

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

  private static boolean signedBy(List<Action> actions, ByteString key) {
    return TestValidators.votes(actions).stream().anyMatch(v -> v.getValidator().equals(key))
        || actions.stream()
            .anyMatch(a -> a instanceof Action.PersistVote || a instanceof Action.RequestProposal);
  }

  private List<Action> commitHeight(BftCore core, long h) {
    Block b = TestValidators.block(h, TestValidators.key(0), 1000 * h);
    List<Action> a = core.onEvent(new Event.CommitReceived(b, certificate(b, 0, 1, 2)));
    assertEquals(1, a.stream().filter(x -> x instanceof Action.Commit).count(), a.toString());
    return core.onEvent(new Event.NewHeight(h + 1));
  }

  @Test
  void aJoiningKeySignsNothingUntilItsSetIsInForceThenVotes() {
    BftCore joiner = core(4);
    ByteString key = vals.publicKeys.get(4);
    List<Action> started = joiner.onEvent(new Event.Start());
    assertFalse(joiner.member());
    assertFalse(signedBy(started, key), started.toString());
    List<Action> timedOut = joiner.onEvent(new Event.TimeoutFired(1, 0, Step.PROPOSE));
    assertFalse(signedBy(timedOut, key), "a non-member prevoted: " + timedOut);
    commitHeight(joiner, 1);
    assertFalse(joiner.member());
    List<Action> atJoin = commitHeight(joiner, 2);
    assertTrue(joiner.member());
    assertEquals(5, joiner.validators().size());
    List<Action> afterTimeout = joiner.onEvent(new Event.TimeoutFired(3, 0, Step.PROPOSE));
    List<Action> all = new java.util.ArrayList<>(atJoin);
    all.addAll(afterTimeout);
    assertTrue(
        TestValidators.votes(all).stream()
            .anyMatch(v -> v.getValidator().equals(key) && v.getHeight() == JOIN_HEIGHT),
        "the joined validator did not vote at height " + JOIN_HEIGHT + ": " + all);
  }

  @Test
  void aVoteIsCountedAgainstTheSetOfItsHeight() {
    BftCore core = core(0);
    core.onEvent(new Event.Start());
    ByteString nil = ByteString.EMPTY;
    List<Action> early = core.onEvent(new Event.VoteReceived(vals.prevote(4, 1, 0, nil)));
    assertTrue(early.toString().contains("vote from a non-validator"), early.toString());
    // Height 3 is buffered (within HEIGHTS_AHEAD_MAX) and checked against its own set.
    List<Action> ahead = core.onEvent(new Event.VoteReceived(vals.prevote(4, JOIN_HEIGHT, 0, nil)));
    assertFalse(ahead.toString().contains("non-validator"), ahead.toString());
  }
}
