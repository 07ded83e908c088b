package io.prosima.testnet.sim;

import com.google.protobuf.ByteString;
import io.prosima.consensus.bft.ProposerSchedule;
import io.prosima.consensus.bft.Signing;
import io.prosima.genesis.ValidatorChanges;
import io.prosima.genesis.ValidatorSet;
import io.prosima.genesis.ValidatorSets;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.CommitCertificate;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.Evidence;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.ValidatorEpoch;
import io.prosima.proto.v1.ValidatorHistory;
import io.prosima.proto.wire.BlockCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Safety checkers, run as the simulation goes so the first violation stops it: agreement, validity
 * (of blocks and of their transactions: each submitted by a client, none twice in a chain),
 * durability (of committed blocks and of acknowledged transactions) and evidence soundness.
 * Liveness is checked by {@link Simulation}.
 */
final class Checkers {
  private final long seed;
  private final String chainId;
  private final Genesis genesis;
  // The validator sets of the decided chain: genesis, then each change decided (issue 17), by the
  // ledger's own rule. Every node's certificates of a height are checked against the set in force.
  private final ValidatorHistory.Builder history = ValidatorHistory.newBuilder();
  private ValidatorSets sets;
  private final Map<Long, ProposerSchedule> schedules = new HashMap<>();
  // Validator changes an operator submitted (not clients' transactions).
  private final Set<ByteString> operatorTxs = new java.util.HashSet<>();
  // The key whose signature in a certificate of a height where it is a validator is looked for.
  private ByteString watchedSigner;
  private long watchedSignedAt = -1;
  private final Map<ByteString, Integer> validatorIndex;
  private final SimConfig config;
  private final Set<ByteString> signers;
  private final TxCache txCache;

  /** Block id committed by the first honest node at each height. */
  private final Map<Long, ByteString> decided = new HashMap<>();

  /** Per instance: every block id it reported committed, by height - 1. */
  private final Map<Integer, List<ByteString>> acknowledged = new HashMap<>();

  /** Every transaction a client submitted, by hash: the instance it was submitted to. */
  private final Map<ByteString, Integer> submitted = new HashMap<>();

  /**
   * Acknowledged transactions, by hash: the height at which the node they were submitted to
   * committed them (when the client got its answer).
   */
  private final Map<ByteString, Long> acknowledgedTxs = new LinkedHashMap<>();

  /**
   * Per honest instance: every transaction it reported committed, with its height. The checker's
   * own record, so a node that loses track of its transactions cannot hide a repeat.
   */
  private final Map<Integer, Map<ByteString, Long>> committedTxs = new HashMap<>();

  long evidence;

  /** Client transactions in the decided blocks (each height counted once). */
  long txsCommitted;

  Checkers(
      SimConfig config,
      String chainId,
      Genesis genesis,
      Set<ByteString> signers,
      Map<ByteString, Integer> validatorIndex,
      TxCache txCache) {
    this.seed = config.seed();
    this.config = config;
    this.chainId = chainId;
    this.genesis = genesis;
    this.sets = ValidatorSets.genesisOnly(genesis);
    this.validatorIndex = validatorIndex;
    this.signers = signers;
    this.txCache = txCache;
  }

  /** An operator submitted a validator change (possibly more than once). */
  void onOperatorTx(ByteString txHash) {
    operatorTxs.add(txHash);
  }

  /** The validator sets of the decided chain so far. */
  ValidatorSets sets() {
    return sets;
  }

  /** Watch for {@code key} signing a commit certificate (a joined validator voting). */
  void watchSigner(ByteString key) {
    watchedSigner = key;
  }

  /** The first height whose decided certificate {@link #watchSigner}'s key signed; -1 if none. */
  long watchedSignedAt() {
    return watchedSignedAt;
  }

  private ProposerSchedule schedule(long height) {
    var epoch = sets.epochAt(height);
    return schedules.computeIfAbsent(
        epoch.fromHeight(), k -> new ProposerSchedule(epoch.set().weights()));
  }

  /** A decided block's validator changes, applied by the ledger's rule to the decided sets. */
  private void decideChanges(long height, Block block) {
    for (Transaction tx : block.getTxsList()) {
      if (!tx.getPayload().hasValidatorChange()) {
        continue;
      }
      var r =
          ValidatorChanges.apply(
              genesis, sets.latest(), tx.getPayload().getValidatorChange().getBody());
      if (!(r instanceof ValidatorChanges.Applied a)) {
        fail("a decided validator change does not apply at height " + height + ": " + r);
        return;
      }
      history.addEpochs(
          ValidatorEpoch.newBuilder()
              .setFromHeight(height + ValidatorSets.ACTIVATION_DELAY_HEIGHTS)
              .setChangedAtHeight(height)
              .addAllValidators(a.validators())
              .addAllOverlay(a.overlay()));
      sets = ValidatorSets.of(genesis, history.build());
    }
  }

  /** A client submitted {@code tx} to {@code instance}. */
  void onSubmit(Transaction tx, int instance) {
    if (submitted.put(txCache.hash(tx), instance) != null) {
      fail("a client submitted the same transaction twice");
    }
  }

  long txsSubmitted() {
    return submitted.size();
  }

  long txsAcknowledged() {
    return acknowledgedTxs.size();
  }

  boolean isAcknowledged(ByteString txHash) {
    return acknowledgedTxs.containsKey(txHash);
  }

  void fail(String what) {
    throw new SimulationFailure(seed, what + " in " + config);
  }

  /** A block the node made durable; called before it joins {@link SimNode#acknowledged}. */
  void onCommit(SimNode n, long height, Block block, CommitCertificate cert) {
    ByteString id = ByteString.copyFrom(BlockCodec.blockId(block.getHeader()));
    if (height != n.acknowledged.size() + 1) {
      fail(
          "node " + n.instance + " committed height " + height + " after " + n.acknowledged.size());
    }
    ValidatorSet validators = sets.at(height);
    String bad = BlockCodec.checkCommit(chainId, id.toByteArray(), cert, validators.weights());
    if (bad != null) {
      fail("certificate of height " + height + " refused: " + bad);
    }
    if (!n.honest()) {
      return;
    }
    // Validity: a valid block for this chain position, built by a proposer of one of the rounds;
    // its transactions checked against what this node committed before (repeats refused).
    Map<ByteString, Long> mine = committedTxs.computeIfAbsent(n.instance, k -> new HashMap<>());
    String invalid =
        new ChainValidator(chainId, n.acknowledged, mine, validators.weights(), signers, txCache)
            .check(block);
    if (invalid != null) {
      fail("node " + n.instance + " committed an invalid block at " + height + ": " + invalid);
    }
    boolean scheduled = false;
    for (int r = 0; r <= cert.getRound() && !scheduled; r++) {
      scheduled = schedule(height).proposer(height, r).equals(block.getHeader().getProposer());
    }
    if (!scheduled) {
      fail("block at " + height + " was built by a validator never scheduled to propose it");
    }
    // Agreement.
    ByteString first = decided.putIfAbsent(height, id);
    if (first != null && !first.equals(id)) {
      fail("agreement violated at height " + height + " by node " + n.instance);
    }
    if (first == null) {
      decideChanges(height, block);
      if (watchedSignedAt < 0
          && watchedSigner != null
          && validators.get(watchedSigner).isPresent()
          && cert.getSignaturesList().stream()
              .anyMatch(sig -> sig.getValidator().equals(watchedSigner))) {
        watchedSignedAt = height;
      }
      for (Transaction tx : block.getTxsList()) {
        if (!tx.getPayload().hasEquivocationEvidence()) {
          txsCommitted++; // clients' transactions; evidence is the validators'
        }
      }
    }
    acknowledged.computeIfAbsent(n.instance, k -> new ArrayList<>()).add(id);
    checkTxs(n, height, block, mine);
  }

  /** Tx validity (submitted by a client) and the acknowledgements; records the node's txs. */
  private void checkTxs(SimNode n, long height, Block block, Map<ByteString, Long> mine) {
    for (Transaction tx : block.getTxsList()) {
      ByteString hash = txCache.hash(tx);
      Integer to = submitted.get(hash);
      if (to == null && operatorTxs.contains(hash)) {
        mine.put(hash, height); // a validator change (checked against the set by ChainValidator)
        continue;
      }
      if (to == null && tx.getPayload().hasEquivocationEvidence()) {
        // Signed by a validator (checked above); it must accuse a Byzantine one.
        onEvidence(n, tx.getPayload().getEquivocationEvidence().getEvidence(), false);
        mine.put(hash, height);
        continue;
      }
      if (to == null) {
        fail(
            "node "
                + n.instance
                + " committed a transaction no client submitted at height "
                + height
                + " (nonce "
                + tx.getNonce()
                + ")");
      }
      mine.put(hash, height);
      if (to == n.instance) {
        acknowledgedTxs.putIfAbsent(hash, height);
      }
    }
  }

  /** Durability: a restarted (or finished) node's chain on disk still holds all it acknowledged. */
  void checkDurable(SimNode n, List<CommittedBlock> chain) {
    List<ByteString> acked = acknowledged.getOrDefault(n.instance, List.of());
    if (chain.size() < acked.size()) {
      fail(
          "node " + n.instance + " lost committed heights: " + chain.size() + " < " + acked.size());
    }
    for (int i = 0; i < acked.size(); i++) {
      ByteString id = ByteString.copyFrom(BlockCodec.blockId(chain.get(i).getBlock().getHeader()));
      if (!id.equals(acked.get(i))) {
        fail("node " + n.instance + " chain changed at height " + (i + 1) + " across a restart");
      }
    }
    checkAcknowledgedTxs(n, chain);
  }

  /**
   * Every acknowledged transaction is in the node's durable chain at the height where it was
   * acknowledged, if the node reached that height.
   */
  private void checkAcknowledgedTxs(SimNode n, List<CommittedBlock> chain) {
    Map<ByteString, Long> held = new HashMap<>();
    for (int i = 0; i < chain.size(); i++) {
      for (Transaction tx : chain.get(i).getBlock().getTxsList()) {
        held.put(txCache.hash(tx), (long) i + 1);
      }
    }
    for (Map.Entry<ByteString, Long> e : acknowledgedTxs.entrySet()) {
      long height = e.getValue();
      if (height <= chain.size() && !Long.valueOf(height).equals(held.get(e.getKey()))) {
        fail(
            "acknowledged transaction of height "
                + height
                + " lost by node "
                + n.instance
                + " (found at "
                + held.get(e.getKey())
                + ")");
      }
    }
  }

  /** Evidence an honest node found must accuse a Byzantine validator with two valid votes. */
  void onEvidence(SimNode n, Evidence ev) {
    evidence++;
    onEvidence(n, ev, true);
  }

  private void onEvidence(SimNode n, Evidence ev, boolean found) {
    if (!n.honest()) {
      return;
    }
    var a = ev.getVoteA();
    var b = ev.getVoteB();
    if (!a.getValidator().equals(b.getValidator())
        || a.getHeight() != b.getHeight()
        || a.getRound() != b.getRound()
        || a.getType() != b.getType()
        || a.getBlockId().equals(b.getBlockId())
        || !Signing.verifyVote(a)
        || !Signing.verifyVote(b)) {
      fail(
          (found ? "malformed evidence from node " : "malformed evidence committed by node ")
              + n.instance);
    }
    Integer accused = validatorIndex.get(a.getValidator());
    if (accused == null || accused >= config.weights().length || !config.isByzantine(accused)) {
      fail("honest validator " + accused + " double-signed (evidence found by " + n.instance + ")");
    }
  }

  /** Heights decided so far (by any honest node). */
  int decidedHeights() {
    return decided.size();
  }

  static List<CommittedBlock> copy(List<CommittedBlock> chain) {
    return new ArrayList<>(chain);
  }
}
