package io.prosima.node.client;

import io.prosima.genesis.ValidatorChanges;
import io.prosima.genesis.ValidatorSets;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.GetTxRequest;
import io.prosima.proto.v1.GetValidatorsRequest;
import io.prosima.proto.v1.TxResponse;
import io.prosima.proto.v1.ValidatorEpoch;
import io.prosima.proto.v1.ValidatorHistory;
import java.util.ArrayList;
import java.util.List;

/**
 * A light client's view of validator changes (issue 17), trusting only genesis: each change
 * transaction must be proven (inclusion proof, header, commit certificate) against the set in force
 * at its height, which the changes before it determine; the set it makes is then computed locally
 * by the ledger's own rule ({@link ValidatorChanges}) and takes effect at its height + {@link
 * ValidatorSets#ACTIVATION_DELAY_HEIGHTS}. A node can hide later changes (the result is then stale,
 * and proofs of later heights fail) but cannot make a false set pass.
 */
public final class ValidatorSetFollower {
  /** A history of more changes than this is refused (a bound on the work a node can ask for). */
  public static final int CHANGES_MAX = 10_000;

  private ValidatorSetFollower() {}

  /** The outcome: the verified sets, or why the changes were refused. */
  public record Result(ValidatorSets sets, String problem) {}

  /** Verifies {@code changes} (the change transactions, oldest first) from genesis. */
  public static Result follow(Genesis genesis, List<TxResponse> changes) {
    if (changes.size() > CHANGES_MAX) {
      return new Result(null, "more than " + CHANGES_MAX + " validator changes");
    }
    ValidatorHistory.Builder history = ValidatorHistory.newBuilder();
    ValidatorSets sets = ValidatorSets.genesisOnly(genesis);
    long previous = 0;
    for (TxResponse r : changes) {
      String proof = TxProofVerifier.check(r, genesis, sets);
      if (proof != null) {
        return new Result(null, "validator change at height " + r.getHeight() + ": " + proof);
      }
      if (!r.getTx().getPayload().hasValidatorChange() || r.getHeight() <= previous) {
        return new Result(
            null, "height " + r.getHeight() + " holds no validator change in chain order");
      }
      var body = r.getTx().getPayload().getValidatorChange().getBody();
      if (body.getSequence() != sets.changes()) {
        return new Result(null, "validator change " + body.getSequence() + " is out of order");
      }
      var applied = ValidatorChanges.apply(genesis, sets.latest(), body);
      if (!(applied instanceof ValidatorChanges.Applied a)) {
        return new Result(null, "a certified validator change does not apply: " + applied);
      }
      history.addEpochs(
          ValidatorEpoch.newBuilder()
              .setFromHeight(r.getHeight() + ValidatorSets.ACTIVATION_DELAY_HEIGHTS)
              .setChangedAtHeight(r.getHeight())
              .setTxHash(r.getTxHash())
              .addAllValidators(a.validators())
              .addAllOverlay(a.overlay()));
      sets = ValidatorSets.of(genesis, history.build());
      previous = r.getHeight();
    }
    return new Result(sets, null);
  }

  /**
   * Asks {@code node} for its validator changes and fetches each change transaction with its proof,
   * then verifies them from genesis ({@link #follow(Genesis, List)}).
   */
  public static Result follow(Genesis genesis, NodeClient node) {
    var reported = node.query().getValidators(GetValidatorsRequest.getDefaultInstance());
    if (reported.getHistory().getEpochsCount() > CHANGES_MAX) {
      return new Result(null, "more than " + CHANGES_MAX + " validator changes");
    }
    List<TxResponse> changes = new ArrayList<>();
    for (ValidatorEpoch e : reported.getHistory().getEpochsList()) {
      changes.add(node.query().getTx(GetTxRequest.newBuilder().setTxHash(e.getTxHash()).build()));
    }
    return follow(genesis, changes);
  }
}
