package io.prosima.consensus.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.genesis.KeyGenerator;
import io.prosima.genesis.MemberCards;
import io.prosima.genesis.ValidatorChanges;
import io.prosima.genesis.ValidatorSets;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.OverlayEdge;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.RefusalCode;
import io.prosima.proto.v1.Role;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.ValidatorChange;
import io.prosima.proto.v1.ValidatorChangeBody;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Issue 17 item 4: a validator change as a transaction, its approvals and its effective height. */
class ValidatorChangeTxTest {
  private final TestChain chain;
  private final KeyFile joiner;
  private long nonce = 1;

  ValidatorChangeTxTest() throws Exception {
    chain = new TestChain();
    joiner = KeyGenerator.newKey("validator-new", Role.ROLE_UNSPECIFIED, true, new SecureRandom());
  }

  private ValidatorChangeBody addJoiner(long sequence) throws Exception {
    var v =
        ValidatorChanges.joining(
            MemberCards.of(joiner, "region-0", "127.0.0.1:41000", "127.0.0.1:41001"));
    return ValidatorChangeBody.newBuilder()
        .setSequence(sequence)
        .setAdd(v)
        .addAddEdges(OverlayEdge.newBuilder().setA(v.getName()).setB("validator-0"))
        .addAddEdges(OverlayEdge.newBuilder().setA(v.getName()).setB("validator-1"))
        .build();
  }

  /** Signed by validator 0, approved by the validators with the given indices. */
  private Transaction change(ValidatorChangeBody body, int... approvers) {
    ValidatorChange.Builder c = ValidatorChange.newBuilder().setBody(body);
    for (int i : approvers) {
      c.addApprovals(
          ValidatorChanges.approve(chain.genesis.getChainId(), body, chain.validators.get(i)));
    }
    return chain.sign(
        chain.validators.get(0), nonce++, Payload.newBuilder().setValidatorChange(c).build());
  }

  private ValidatorSets sets() {
    return new LedgerView(chain.genesis, chain.state::get).validatorSets();
  }

  /** Approvers holding more than 2/3 of the genesis weight; the rest of the validators. */
  private int[] quorum() {
    var weights = new io.prosima.genesis.ValidatorSet(chain.genesis);
    long total = 0;
    int n = 0;
    int[] all = {0, 1, 2, 3};
    for (int i : all) {
      total += weights.weights().get(chain.validators.get(i).getEd25519PublicKey());
      n++;
      if (weights.isQuorum(total)) {
        break;
      }
    }
    return java.util.Arrays.copyOf(all, n);
  }

  @Test
  void aChangeApprovedByMoreThanTwoThirdsTakesEffectAtTheActivationHeight() throws Exception {
    long at = chain.height;
    var e = chain.commit(change(addJoiner(0), quorum()));
    assertTrue(e.rejected().isEmpty(), () -> e.rejected().get(0).refusal().message());
    ValidatorSets sets = sets();
    long from = at + ValidatorSets.ACTIVATION_DELAY_HEIGHTS;
    assertEquals(from, sets.latest().fromHeight());
    assertEquals(4, sets.at(from - 1).size());
    assertEquals(5, sets.at(from).size());
    assertTrue(sets.at(from).get(joiner.getEd25519PublicKey()).isPresent());
  }

  @Test
  void approvalsHoldingTwoThirdsOrLessAreRefused() throws Exception {
    int[] q = quorum();
    int[] short1 = java.util.Arrays.copyOf(q, q.length - 1);
    var refusal = chain.refusalOf(change(addJoiner(0), short1));
    assertNotNull(refusal);
    assertEquals(RefusalCode.REFUSAL_INSUFFICIENT_APPROVALS, refusal.code());
    assertTrue(refusal.message().contains("more than 2/3"), refusal.message());
  }

  @Test
  void anApprovalOfAnotherChangeOrARepeatedApprovalDoesNotCount() throws Exception {
    ValidatorChangeBody body = addJoiner(0);
    ValidatorChangeBody other = body.toBuilder().setSequence(7).build();
    ValidatorChange.Builder c = ValidatorChange.newBuilder().setBody(body);
    for (int i = 0; i < 4; i++) {
      c.addApprovals(
          ValidatorChanges.approve(chain.genesis.getChainId(), other, chain.validators.get(i)));
    }
    var forged =
        chain.sign(
            chain.validators.get(0), nonce++, Payload.newBuilder().setValidatorChange(c).build());
    assertEquals(RefusalCode.REFUSAL_INSUFFICIENT_APPROVALS, chain.refusalOf(forged).code());
    var repeated = change(body, 0, 0, 0, 0);
    assertEquals(RefusalCode.REFUSAL_INSUFFICIENT_APPROVALS, chain.refusalOf(repeated).code());
  }

  @Test
  void aChangeThatWouldCutTheOverlayIsRefusedWithTheGenesisRulesReason() throws Exception {
    ValidatorChangeBody oneEdge = addJoiner(0).toBuilder().removeAddEdges(1).build();
    var refusal = chain.refusalOf(change(oneEdge, 0, 1, 2, 3));
    assertNotNull(refusal);
    assertEquals(RefusalCode.REFUSAL_PAYLOAD_INVALID, refusal.code());
    assertTrue(refusal.message().contains("would disconnect the overlay"), refusal.message());
  }

  @Test
  void aSecondChangeWaitsUntilThePendingOneIsInForceAndCarriesTheNextSequence() throws Exception {
    chain.commit(change(addJoiner(0), 0, 1, 2, 3));
    long from = sets().latest().fromHeight();
    ValidatorChangeBody remove =
        ValidatorChangeBody.newBuilder()
            .setSequence(1)
            .setRemove(chain.validators.get(3).getEd25519PublicKey())
            .build();
    var pending = chain.refusalOf(change(remove, 0, 1, 2, 3));
    assertNotNull(pending);
    assertTrue(pending.message().contains("pending until height " + from), pending.message());
    while (chain.height < from) {
      chain.commit();
    }
    // A replay of the first change's approvals (sequence 0) is refused now.
    assertEquals(
        RefusalCode.REFUSAL_CONFLICT, chain.refusalOf(change(addJoiner(0), 0, 1, 2, 3)).code());
    var e = chain.commit(change(remove, 0, 1, 2, 3));
    if (!e.rejected().isEmpty()) {
      // Only when the leaver is needed for 2-connectivity of this genesis' random overlay.
      assertTrue(e.rejected().get(0).refusal().message().contains("disconnect"));
      return;
    }
    ValidatorSets sets = sets();
    assertEquals(2, sets.changes());
    assertEquals(4, sets.latest().set().size());
    assertTrue(sets.latest().set().get(chain.validators.get(3).getEd25519PublicKey()).isEmpty());
    assertEquals(5, sets.at(from).size(), "the old epoch stays for old certificates");
  }

  @Test
  void onlyAValidatorOfTheCurrentSetMayProposeAChange() throws Exception {
    ValidatorChangeBody body = addJoiner(0);
    ValidatorChange.Builder c = ValidatorChange.newBuilder().setBody(body);
    for (int i = 0; i < 4; i++) {
      c.addApprovals(
          ValidatorChanges.approve(chain.genesis.getChainId(), body, chain.validators.get(i)));
    }
    Transaction byAdmin =
        chain.sign(chain.admin, 1, Payload.newBuilder().setValidatorChange(c).build());
    var refusal = chain.refusalOf(byAdmin);
    assertEquals(RefusalCode.REFUSAL_ROLE_FORBIDDEN, refusal.code());
    assertNull(chain.refusalOf(change(body, 0, 1, 2, 3)));
  }
}
