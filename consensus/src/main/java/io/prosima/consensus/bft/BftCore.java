package io.prosima.consensus.bft;

import com.google.protobuf.ByteString;
import io.prosima.genesis.ValidatorSet;
import io.prosima.genesis.ValidatorSets;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.CommitCertificate;
import io.prosima.proto.v1.CommitSignature;
import io.prosima.proto.v1.ConsensusMessage;
import io.prosima.proto.v1.Evidence;
import io.prosima.proto.v1.Proposal;
import io.prosima.proto.v1.Vote;
import io.prosima.proto.v1.VoteType;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.BlockMemo;
import io.prosima.proto.wire.Ed25519Keys;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * Tendermint consensus for one validator (Buchman, Kwon, Milosevic, "The latest gossip on BFT
 * consensus", arXiv:1807.04938, Algorithm 1) with weighted votes: "2f+1" reads "more than 2/3 of
 * the total weight" and "f+1" reads "more than 1/3 of the total weight". Line numbers in comments
 * refer to Algorithm 1.
 *
 * <p>A pure, single-threaded state machine: {@link #onEvent} takes one input and returns the
 * actions to carry out, in order (see {@link Action} for the persist-before-send rule). No clock,
 * threads or I/O; timeouts are requested with {@link Action.ScheduleTimeout} and come back as
 * {@link Event.TimeoutFired}. Bad peer input is dropped with an {@link Action.Dropped} reason; a
 * call that breaks the contract (say, a second {@link Event.Start}) throws.
 */
public final class BftCore {
  /** Messages for heights up to this far above the current one are buffered, not dropped. */
  public static final int HEIGHTS_AHEAD_MAX = 2;

  /** Bound on buffered future-height messages. */
  public static final int BUFFERED_MESSAGES_MAX = 10_000;

  /** Messages for rounds further than this above the current round are dropped. */
  public static final int ROUNDS_AHEAD_MAX = 1_000;

  static {
    // Every height whose messages the core takes must have a final set when they arrive.
    if (ValidatorSets.ACTIVATION_DELAY_HEIGHTS <= HEIGHTS_AHEAD_MAX + 1) {
      throw new ExceptionInInitializerError(
          "validator changes must take effect beyond the heights whose messages are buffered");
    }
  }

  private static final ByteString NIL = ByteString.EMPTY;
  private static final String VALID = "";
  private static final int BLOCK_ID_BYTES = 32;

  private final BftConfig config;
  private final LongFunction<ValidatorSet> validatorsAt;
  // The set and proposer schedule of the current height (they change at a validator change).
  private ValidatorSet validators;
  private ProposerSchedule schedule;
  private final byte[] privateKey;
  private final ByteString publicKey;
  private final BlockValidator blockValidator;
  private SignedVoteRecord record;

  private long height;
  private int round;
  private Step step = Step.PROPOSE;
  private boolean started;
  private boolean decided;
  private ByteString lockedId;
  private int lockedRound = -1;
  private Block validValue;
  private int validRound = -1;
  private final TreeMap<Integer, RoundMessages> rounds = new TreeMap<>();

  /**
   * valid(v) per whole-block digest (not block id) for this height: a body tampered under an
   * authentic header shares the block id, and its verdict must not stick to the genuine block.
   */
  private final Map<ByteString, String> validity = new HashMap<>();

  private final Set<String> evidenceReported = new HashSet<>();

  /** Verified messages for later heights; a set, since gossip re-sends them. */
  private final Set<ConsensusMessage> future = new LinkedHashSet<>();

  /**
   * A core for a fixed validator set, of which {@code privateKey} must be a member.
   *
   * @param startHeight the first height not yet committed in the caller's chain
   * @param record what this validator signed before a restart ({@link SignedVoteRecord#EMPTY} on a
   *     fresh node); the core never signs below or against it
   */
  public BftCore(
      BftConfig config,
      ValidatorSet validators,
      byte[] privateKey,
      BlockValidator blockValidator,
      long startHeight,
      SignedVoteRecord record) {
    this(config, h -> validators, privateKey, blockValidator, startHeight, record);
    if (!validators.weights().containsKey(publicKey)) {
      throw new IllegalArgumentException("the key is not a validator of this chain");
    }
  }

  /**
   * A core whose validator set is a function of height (validator changes on chain). The caller
   * guarantees that {@code validatorsAt(h)} is final for every h up to the current height + {@link
   * #HEIGHTS_AHEAD_MAX} (changes take effect later than that). While {@code privateKey} is not in
   * the set of the current height the core signs nothing: it follows the chain from synced commits
   * (a validator that has not joined yet, or has left).
   */
  public BftCore(
      BftConfig config,
      LongFunction<ValidatorSet> validatorsAt,
      byte[] privateKey,
      BlockValidator blockValidator,
      long startHeight,
      SignedVoteRecord record) {
    if (startHeight < 1) {
      throw new IllegalArgumentException("startHeight must be >= 1");
    }
    this.config = config;
    this.validatorsAt = validatorsAt;
    this.validators = validatorsAt.apply(startHeight);
    this.schedule = new ProposerSchedule(validators.weights());
    this.privateKey = privateKey.clone();
    this.publicKey = ByteString.copyFrom(Ed25519Keys.publicKey(privateKey));
    this.blockValidator = blockValidator;
    this.record = record;
    this.height = startHeight;
    for (Vote v : new Vote[] {record.lastPrevote(), record.lastPrecommit()}) {
      // A record ahead of the chain means a committed block was lost: refuse to run on it.
      if (v != null && v.getHeight() > startHeight) {
        throw new IllegalStateException(
            "signed-vote record is at height " + v.getHeight() + " but chain resumes at " + height);
      }
    }
  }

  public long height() {
    return height;
  }

  public int round() {
    return round;
  }

  public Step step() {
    return step;
  }

  public int lockedRound() {
    return lockedRound;
  }

  public SignedVoteRecord record() {
    return record;
  }

  public ByteString publicKey() {
    return publicKey;
  }

  public ProposerSchedule schedule() {
    return schedule;
  }

  /** The validator set of the current height. */
  public ValidatorSet validators() {
    return validators;
  }

  /** Whether this core's key votes at the current height. */
  public boolean member() {
    return validators.weights().containsKey(publicKey);
  }

  /** The set of {@code h}: the current one, or (for buffered messages) a later height's. */
  private ValidatorSet validatorsFor(long h) {
    return h == height ? validators : validatorsAt.apply(h);
  }

  /** Handles one input; returns the actions to carry out, in order. */
  public List<Action> onEvent(Event event) {
    List<Action> out = new ArrayList<>();
    if (event instanceof Event.Start) {
      if (started) {
        throw new IllegalStateException("Start delivered twice");
      }
      started = true;
      restoreLock(out);
      // Resume at the highest round already signed in: lower rounds are closed to us anyway.
      startRound(Math.max(0, record.highestRound(height)), out);
    } else if (!started) {
      throw new IllegalStateException("event before Start: " + event);
    } else if (event instanceof Event.NewHeight e) {
      newHeight(e.height(), out);
    } else if (event instanceof Event.ProposalReceived e) {
      onProposal(e.proposal(), out);
    } else if (event instanceof Event.VoteReceived e) {
      onVote(e.vote(), out);
    } else if (event instanceof Event.TimeoutFired e) {
      onTimeout(e, out);
    } else if (event instanceof Event.BlockReady e) {
      onBlockReady(e, out);
    } else if (event instanceof Event.CommitReceived e) {
      onCommitReceived(e.block(), e.certificate(), out);
    }
    runRules(out);
    return out;
  }

  private void restoreLock(List<Action> out) {
    Vote lock = record.lockPrecommit();
    if (lock != null && lock.getHeight() == height) {
      lockedId = lock.getBlockId();
      lockedRound = lock.getRound();
      Block block = record.lockBlock();
      if (block != null
          && ByteString.copyFrom(BlockCodec.blockId(block.getHeader())).equals(lockedId)) {
        // Lines 42–43 as they were before the restart: the locked block is again the valid value,
        // to be re-proposed with its prevotes (sendJustification) when this validator proposes.
        validValue = block;
        validRound = lockedRound;
        for (Vote v : record.lockPrevotes()) {
          onVote(v, out);
        }
      }
    }
  }

  // ---- Rounds and heights -------------------------------------------------------------------

  /** StartRound (lines 11–21). */
  private void startRound(int r, List<Action> out) {
    round = r;
    step = Step.PROPOSE;
    roundMessages(r);
    if (schedule.proposer(height, r).equals(publicKey)) {
      Proposal signed = record.lastProposal();
      if (signed != null && signed.getHeight() == height && signed.getRound() == r) {
        // Signed before a restart: send the same proposal again, never a second one.
        out.add(new Action.Broadcast(wrap(signed)));
        acceptProposal(signed, out);
        sendJustification(signed, out);
      } else if (validValue != null) {
        propose(validValue, validRound, out); // line 15
      } else {
        out.add(new Action.RequestProposal(height, r)); // line 16, answered by BlockReady
      }
    }
    // Lines 18–20 schedule this only for non-proposers; a proposer schedules it too, so that an
    // application that never answers RequestProposal costs one round, not the height.
    out.add(new Action.ScheduleTimeout(height, r, Step.PROPOSE, config.timeoutMs(Step.PROPOSE, r)));
  }

  private void newHeight(long h, List<Action> out) {
    if (!decided || h != height + 1) {
      throw new IllegalStateException(
          "NewHeight(" + h + ") but core is at height " + height + " decided=" + decided);
    }
    // Line 53: reset locks, valid value and the message log.
    height = h;
    ValidatorSet next = validatorsAt.apply(h);
    if (!next.weights().equals(validators.weights())) {
      schedule = new ProposerSchedule(next.weights()); // a validator change is in force
    }
    validators = next;
    decided = false;
    lockedId = null;
    lockedRound = -1;
    validValue = null;
    validRound = -1;
    rounds.clear();
    validity.clear();
    evidenceReported.clear();
    startRound(0, out); // line 54
    List<ConsensusMessage> buffered = new ArrayList<>(future);
    future.clear();
    // Messages for h + 1 and beyond are checked again: now processed or buffered anew.
    for (ConsensusMessage m : buffered) {
      if (m.hasProposal()) {
        onProposal(m.getProposal(), out);
      } else {
        onVote(m.getVote(), out);
      }
    }
  }

  private RoundMessages roundMessages(int r) {
    return rounds.computeIfAbsent(r, k -> new RoundMessages());
  }

  // ---- Peer input ---------------------------------------------------------------------------

  /** Null when a message at (h, r) should be processed now; "" to buffer; else a drop reason. */
  private String position(String chainId, long h, int r) {
    if (!chainId.equals(config.chainId())) {
      return "other chain " + chainId;
    }
    if (h < height || (h == height && decided)) {
      return "stale height " + h + " (at " + height + ")";
    }
    if (h > height + HEIGHTS_AHEAD_MAX) {
      return "height " + h + " too far ahead of " + height;
    }
    // A uint32 round above 2^31 - 1 arrives negative.
    if (r < 0 || r > (h == height ? round : 0) + (long) ROUNDS_AHEAD_MAX) {
      return "round " + r + " too far ahead of " + round;
    }
    return h > height ? "" : null;
  }

  private void buffer(ConsensusMessage m, List<Action> out) {
    if (future.size() >= BUFFERED_MESSAGES_MAX && !future.contains(m)) {
      out.add(new Action.Dropped("future-height buffer full"));
      return;
    }
    future.add(m);
  }

  private void onProposal(Proposal p, List<Action> out) {
    String where = position(p.getChainId(), p.getHeight(), p.getRound());
    if (where != null && !where.isEmpty()) {
      out.add(new Action.Dropped("proposal: " + where));
      return;
    }
    // A later height's schedule is checked when the buffered proposal is replayed there.
    if (where == null
        ? !schedule.proposer(p.getHeight(), p.getRound()).equals(p.getProposer())
        : validatorsFor(p.getHeight()).get(p.getProposer()).isEmpty()) {
      out.add(new Action.Dropped("proposal from a validator not scheduled for its round"));
      return;
    }
    if (!p.hasBlock()
        || !p.getBlock().hasHeader()
        || p.getBlock().getHeader().getHeight() != p.getHeight()) {
      out.add(new Action.Dropped("proposal block missing or for another height"));
      return;
    }
    if (p.getValidRound() < -1 || p.getValidRound() >= (long) p.getRound()) {
      out.add(new Action.Dropped("proposal valid_round out of range"));
      return;
    }
    // A new value (validRound -1) is credited to whoever signs it. A re-proposed value (line 15)
    // keeps the header of the round it was first proposed in, which a quorum already prevoted.
    if (p.getValidRound() == -1
        && !p.getBlock().getHeader().getProposer().equals(p.getProposer())) {
      out.add(new Action.Dropped("proposal header names another proposer than its signer"));
      return;
    }
    // Before the signature: what is counted must be exactly what every verifier rebuilds.
    if (!Signing.isCanonical(p)) {
      out.add(new Action.Dropped("proposal is not canonical (unknown fields)"));
      return;
    }
    if (!Signing.verifyProposal(p)) {
      out.add(new Action.Dropped("proposal signature invalid"));
      return;
    }
    if (where != null) {
      buffer(ConsensusMessage.newBuilder().setProposal(p).build(), out);
      return;
    }
    acceptProposal(p, out);
  }

  private void acceptProposal(Proposal p, List<Action> out) {
    RoundMessages rm = roundMessages(p.getRound());
    ByteString id = ByteString.copyFrom(BlockCodec.blockId(p.getBlock().getHeader()));
    ByteString digest = digest(p.getBlock());
    if (rm.proposalWithDigest(digest) != null) {
      out.add(new Action.Dropped("duplicate proposal"));
      return;
    }
    if (rm.proposals.size() >= RoundMessages.PROPOSALS_PER_ROUND_MAX) {
      out.add(new Action.Dropped("too many proposals in round " + p.getRound()));
      return;
    }
    rm.proposals.add(p);
    rm.proposalIds.add(id);
    rm.proposalDigests.add(digest);
    rm.addSender(p.getProposer(), weight(p.getProposer()));
  }

  private void onVote(Vote v, List<Action> out) {
    String where = position(v.getChainId(), v.getHeight(), v.getRound());
    if (where != null && !where.isEmpty()) {
      out.add(new Action.Dropped("vote: " + where));
      return;
    }
    if (v.getType() != VoteType.VOTE_TYPE_PREVOTE && v.getType() != VoteType.VOTE_TYPE_PRECOMMIT) {
      out.add(new Action.Dropped("vote of unknown type"));
      return;
    }
    if (!validatorsFor(v.getHeight()).weights().containsKey(v.getValidator())) {
      out.add(new Action.Dropped("vote from a non-validator"));
      return;
    }
    if (!v.getBlockId().isEmpty() && v.getBlockId().size() != BLOCK_ID_BYTES) {
      out.add(new Action.Dropped("vote block id is not " + BLOCK_ID_BYTES + " bytes"));
      return;
    }
    // Before the signature: a certificate keeps only validator and signature, and checkCommit
    // rebuilds the vote from known fields, so a counted vote with an extra field sinks it.
    if (!Signing.isCanonical(v)) {
      out.add(new Action.Dropped("vote is not canonical (unknown fields)"));
      return;
    }
    if (!Signing.verifyVote(v)) {
      out.add(new Action.Dropped("vote signature invalid"));
      return;
    }
    if (where != null) {
      buffer(ConsensusMessage.newBuilder().setVote(v).build(), out);
      return;
    }
    acceptVote(v, out);
  }

  private void acceptVote(Vote v, List<Action> out) {
    RoundMessages rm = roundMessages(v.getRound());
    VoteTally tally = v.getType() == VoteType.VOTE_TYPE_PREVOTE ? rm.prevotes : rm.precommits;
    switch (tally.add(v, weight(v.getValidator()))) {
      case ADDED -> rm.addSender(v.getValidator(), weight(v.getValidator()));
      case DUPLICATE -> out.add(new Action.Dropped("duplicate vote"));
      case TOO_MANY -> out.add(new Action.Dropped("too many conflicting votes from one validator"));
      case CONFLICT -> {
        String key =
            Base64.getEncoder().encodeToString(v.getValidator().toByteArray())
                + "/"
                + v.getRound()
                + "/"
                + v.getType();
        if (evidenceReported.add(key)) {
          Evidence ev =
              Evidence.newBuilder().setVoteA(tally.first(v.getValidator())).setVoteB(v).build();
          out.add(new Action.EvidenceFound(ev));
        }
      }
    }
  }

  private void onTimeout(Event.TimeoutFired t, List<Action> out) {
    if (decided || t.height() != height || t.round() != round) {
      return; // A timeout of a finished round or height: nothing to do (lines 58, 62, 66).
    }
    switch (t.step()) {
      case PROPOSE -> {
        if (step == Step.PROPOSE) { // lines 57–60
          vote(VoteType.VOTE_TYPE_PREVOTE, NIL, out);
          step = Step.PREVOTE;
        }
      }
      case PREVOTE -> {
        if (step == Step.PREVOTE) { // lines 61–64
          vote(VoteType.VOTE_TYPE_PRECOMMIT, NIL, out);
          step = Step.PRECOMMIT;
        }
      }
      case PRECOMMIT -> startRound(round + 1, out); // lines 65–67
    }
  }

  private void onBlockReady(Event.BlockReady e, List<Action> out) {
    if (decided
        || e.height() != height
        || e.round() != round
        || step != Step.PROPOSE
        || !schedule.proposer(height, round).equals(publicKey)
        || !roundMessages(round).proposals.isEmpty()) {
      out.add(new Action.Dropped("block ready for a round that is over"));
      return;
    }
    if (e.block().getHeader().getHeight() != height) {
      throw new IllegalArgumentException(
          "BlockReady block is for height " + e.block().getHeader().getHeight());
    }
    propose(e.block(), -1, out); // line 17 with validRound = -1
  }

  private void onCommitReceived(Block block, CommitCertificate cert, List<Action> out) {
    if (decided || block.getHeader().getHeight() != height || cert.getHeight() != height) {
      out.add(new Action.Dropped("commit for height other than the current " + height));
      return;
    }
    // The certificate is stored and becomes the next block's last_commit, whose proposal peers
    // refuse when not canonical: take only a clean copy (another peer will send one).
    if (!Signing.isCanonical(cert)) {
      out.add(new Action.Dropped("commit certificate is not canonical (unknown fields)"));
      return;
    }
    byte[] id = BlockCodec.blockId(block.getHeader());
    String bad = BlockCodec.checkCommit(config.chainId(), id, cert, validators.weights());
    if (bad != null) {
      out.add(new Action.Dropped("commit certificate: " + bad));
      return;
    }
    String invalid = valid(digest(block), block);
    if (!invalid.isEmpty()) {
      out.add(new Action.Dropped("committed block invalid: " + invalid));
      return;
    }
    decided = true;
    out.add(new Action.Commit(height, block, cert));
  }

  // ---- Upon rules ---------------------------------------------------------------------------

  private void runRules(List<Action> out) {
    boolean progress = true;
    while (progress && !decided) {
      progress = ruleDecide(out) || ruleRoundSkip(out);
      if (decided) {
        break;
      }
      progress |= ruleProposal(out);
      progress |= rulePrevoteQuorumAny(out);
      progress |= ruleLock(out);
      progress |= rulePrevoteQuorumNil(out);
      progress |= rulePrecommitQuorumAny(out);
    }
  }

  /** Lines 22–33: prevote on the round's proposal. */
  private boolean ruleProposal(List<Action> out) {
    RoundMessages rm = roundMessages(round);
    if (step != Step.PROPOSE || rm.proposals.isEmpty()) {
      return false;
    }
    Proposal p = rm.proposals.get(0);
    ByteString id = rm.proposalIds.get(0);
    ByteString digest = rm.proposalDigests.get(0);
    int vr = p.getValidRound();
    boolean ok;
    if (vr == -1) { // line 22
      // timely() reads the local clock, so it is asked here only, for a value nobody vouched for.
      ok =
          valid(digest, p.getBlock()).isEmpty()
              && blockValidator.timely(p.getBlock()) == null
              && (lockedRound == -1 || id.equals(lockedId));
    } else { // line 28: needs 2f+1 prevotes for id(v) in round vr
      RoundMessages old = rounds.get(vr);
      if (old == null || !quorum(old.prevotes.weightFor(id))) {
        return false; // wait for those prevotes or the propose timeout
      }
      ok = valid(digest, p.getBlock()).isEmpty() && (lockedRound <= vr || id.equals(lockedId));
    }
    vote(VoteType.VOTE_TYPE_PREVOTE, ok ? id : NIL, out); // lines 23–24, 29–30
    step = Step.PREVOTE; // lines 27, 33
    return true;
  }

  /** Lines 34–35. */
  private boolean rulePrevoteQuorumAny(List<Action> out) {
    RoundMessages rm = roundMessages(round);
    if (step != Step.PREVOTE || rm.prevoteTimeoutScheduled || !quorum(rm.prevotes.anyWeight())) {
      return false;
    }
    rm.prevoteTimeoutScheduled = true;
    out.add(
        new Action.ScheduleTimeout(
            height, round, Step.PREVOTE, config.timeoutMs(Step.PREVOTE, round)));
    return true;
  }

  /** Lines 36–43: lock on (and precommit) a value with 2f+1 prevotes. */
  private boolean ruleLock(List<Action> out) {
    RoundMessages rm = roundMessages(round);
    if (step == Step.PROPOSE || rm.lockRuleDone) {
      return false;
    }
    for (int i = 0; i < rm.proposals.size(); i++) {
      ByteString id = rm.proposalIds.get(i);
      Block block = rm.proposals.get(i).getBlock();
      if (!quorum(rm.prevotes.weightFor(id))
          || !valid(rm.proposalDigests.get(i), block).isEmpty()) {
        continue;
      }
      rm.lockRuleDone = true;
      if (step == Step.PREVOTE) {
        lockedId = id; // lines 38–39
        lockedRound = round;
        vote(VoteType.VOTE_TYPE_PRECOMMIT, id, out, block, rm.prevotes.votesFor(id)); // line 40
        step = Step.PRECOMMIT;
      }
      validValue = block; // lines 42–43
      validRound = round;
      return true;
    }
    return false;
  }

  /** Lines 44–46. */
  private boolean rulePrevoteQuorumNil(List<Action> out) {
    if (step != Step.PREVOTE || !quorum(roundMessages(round).prevotes.weightFor(NIL))) {
      return false;
    }
    vote(VoteType.VOTE_TYPE_PRECOMMIT, NIL, out);
    step = Step.PRECOMMIT;
    return true;
  }

  /** Lines 47–48. */
  private boolean rulePrecommitQuorumAny(List<Action> out) {
    RoundMessages rm = roundMessages(round);
    if (rm.precommitTimeoutScheduled || !quorum(rm.precommits.anyWeight())) {
      return false;
    }
    rm.precommitTimeoutScheduled = true;
    out.add(
        new Action.ScheduleTimeout(
            height, round, Step.PRECOMMIT, config.timeoutMs(Step.PRECOMMIT, round)));
    return true;
  }

  /** Lines 49–54, for any round r of this height. */
  private boolean ruleDecide(List<Action> out) {
    for (Map.Entry<Integer, RoundMessages> e : rounds.entrySet()) {
      RoundMessages rm = e.getValue();
      for (int i = 0; i < rm.proposals.size(); i++) {
        ByteString id = rm.proposalIds.get(i);
        Block block = rm.proposals.get(i).getBlock();
        if (quorum(rm.precommits.weightFor(id))
            && valid(rm.proposalDigests.get(i), block).isEmpty()) {
          CommitCertificate cert = certificate(e.getKey(), id, rm);
          // Checked before it is stored: it becomes the next block's last_commit, and a
          // certificate every node refuses there halts the chain. Wait for more precommits.
          String bad =
              BlockCodec.checkCommit(
                  config.chainId(), id.toByteArray(), cert, validators.weights());
          if (bad != null) {
            out.add(new Action.Dropped("own certificate not yet valid: " + bad));
            continue;
          }
          decided = true;
          out.add(new Action.Commit(height, block, cert));
          return true;
        }
      }
    }
    return false;
  }

  /** Lines 55–56: f+1 weight of messages from a higher round moves us there. */
  private boolean ruleRoundSkip(List<Action> out) {
    Iterator<Map.Entry<Integer, RoundMessages>> it =
        rounds.descendingMap().headMap(round, false).entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Integer, RoundMessages> e = it.next();
      if (3 * e.getValue().senderWeight > validators.totalWeight()) {
        startRound(e.getKey(), out);
        return true;
      }
    }
    return false;
  }

  // ---- Signing ------------------------------------------------------------------------------

  private void propose(Block block, int vr, List<Action> out) {
    Proposal unsigned =
        Proposal.newBuilder()
            .setChainId(config.chainId())
            .setHeight(height)
            .setRound(round)
            .setBlock(block)
            .setValidRound(vr)
            .setProposer(publicKey)
            .build();
    Proposal last = record.lastProposal();
    if (last != null
        && SignedVoteRecord.compare(height, round, last.getHeight(), last.getRound()) <= 0) {
      throw new IllegalStateException(
          "asked to propose at " + height + "/" + round + " at or below a signed proposal");
    }
    Proposal p =
        unsigned.toBuilder().setSignature(sign(Signing.proposalSigningBytes(unsigned))).build();
    record = record.withProposal(p);
    out.add(new Action.PersistVote(record)); // persist before send
    out.add(new Action.Broadcast(wrap(p)));
    acceptProposal(p, out);
    sendJustification(p, out);
  }

  /**
   * With validRound vr >= 0, also sends the 2f+1 prevotes of round vr for the block: line 28 needs
   * them at every receiver, and peers that missed them would otherwise keep refusing the proposal
   * while the validators locked on it refuse everything else.
   */
  private void sendJustification(Proposal p, List<Action> out) {
    if (p.getValidRound() < 0) {
      return;
    }
    RoundMessages old = rounds.get(p.getValidRound());
    if (old == null) {
      return;
    }
    ByteString id = ByteString.copyFrom(BlockCodec.blockId(p.getBlock().getHeader()));
    for (Vote v : old.prevotes.votesFor(id)) {
      out.add(new Action.Broadcast(wrap(v)));
    }
  }

  /**
   * Signs and sends a vote, unless this validator already signed one of this type for this height
   * and round (before a restart): then that vote is sent again instead, whatever it was for, since
   * a second, different vote would be equivocation.
   */
  private void vote(VoteType type, ByteString blockId, List<Action> out) {
    vote(type, blockId, out, null, List.of());
  }

  /**
   * @param lockBlock with a precommit that locks: the block, persisted with {@code lockPrevotes}
   *     (the prevotes that justify the lock) in the same WAL write
   */
  private void vote(
      VoteType type,
      ByteString blockId,
      List<Action> out,
      Block lockBlock,
      List<Vote> lockPrevotes) {
    if (!member()) {
      return; // not in this height's set: follows the round, signs nothing
    }
    Vote last = record.last(type);
    if (last != null) {
      int c = SignedVoteRecord.compare(height, round, last.getHeight(), last.getRound());
      if (c < 0) {
        throw new IllegalStateException(
            "asked to vote at " + height + "/" + round + " below the last signed " + type);
      }
      if (c == 0) {
        out.add(new Action.Broadcast(wrap(last)));
        acceptVote(last, out);
        return;
      }
    }
    Vote unsigned =
        Vote.newBuilder()
            .setChainId(config.chainId())
            .setType(type)
            .setHeight(height)
            .setRound(round)
            .setBlockId(blockId)
            .setValidator(publicKey)
            .build();
    Vote v = unsigned.toBuilder().setSignature(sign(BlockCodec.voteSigningBytes(unsigned))).build();
    record = record.withVote(v);
    if (lockBlock != null) {
      record = record.withLock(lockBlock, lockPrevotes);
    }
    out.add(new Action.PersistVote(record)); // persist before send
    out.add(new Action.Broadcast(wrap(v)));
    acceptVote(v, out);
  }

  private ByteString sign(byte[] message) {
    return ByteString.copyFrom(Ed25519Keys.sign(privateKey, publicKey.toByteArray(), message));
  }

  // ---- Helpers ------------------------------------------------------------------------------

  private CommitCertificate certificate(int r, ByteString id, RoundMessages rm) {
    CommitCertificate.Builder cert =
        CommitCertificate.newBuilder().setHeight(height).setRound(r).setBlockId(id);
    // Genesis order, so every node builds the same certificate from the same votes.
    for (ByteString validator : validators.weights().keySet()) {
      Vote v = rm.precommits.voteFor(validator, id);
      // Only a precommit identical to the one checkCommit rebuilds has a signature that verifies
      // there (its own was verified on receipt); any other would sink the whole certificate.
      if (v != null
          && v.toBuilder()
              .clearSignature()
              .build()
              .equals(
                  BlockCodec.precommit(
                      config.chainId(), height, r, id.toByteArray(), validator.toByteArray()))) {
        cert.addSignatures(
            CommitSignature.newBuilder().setValidator(validator).setSignature(v.getSignature()));
      }
    }
    return cert.build();
  }

  /** Digest of the whole block: the key of its validity verdict. */
  private static ByteString digest(Block block) {
    return ByteString.copyFrom(BlockMemo.digest(block));
  }

  /** valid(v) of the paper, cached per whole-block digest for this height; VALID or the reason. */
  private String valid(ByteString digest, Block block) {
    String cached = validity.get(digest);
    if (cached != null) {
      return cached;
    }
    String reason;
    if (!block.getHeader().getChainId().equals(config.chainId())) {
      reason = "block for another chain";
    } else if (block.getHeader().getHeight() != height) {
      reason = "block for another height";
    } else {
      reason = blockValidator.check(block);
    }
    if (reason != null && reason.isEmpty()) {
      reason = "block refused without a reason";
    }
    String result = reason == null ? VALID : reason;
    validity.put(digest, result);
    return result;
  }

  private boolean quorum(long weight) {
    return validators.isQuorum(weight);
  }

  private long weight(ByteString validator) {
    Long w = validators.weights().get(validator);
    if (w == null) {
      throw new IllegalStateException("weight asked for a non-validator");
    }
    return w;
  }

  private static ConsensusMessage wrap(Proposal p) {
    return ConsensusMessage.newBuilder().setProposal(p).build();
  }

  private static ConsensusMessage wrap(Vote v) {
    return ConsensusMessage.newBuilder().setVote(v).build();
  }
}
