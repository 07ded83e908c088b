package io.prosima.node.ledger;

import com.google.protobuf.ByteString;
import io.prosima.consensus.bft.Action;
import io.prosima.consensus.bft.BftConfig;
import io.prosima.consensus.bft.BftCore;
import io.prosima.consensus.bft.Event;
import io.prosima.consensus.bft.SignedVoteRecord;
import io.prosima.consensus.bft.Signing;
import io.prosima.consensus.bft.Step;
import io.prosima.consensus.execution.EvidenceTxs;
import io.prosima.genesis.ValidatorSets;
import io.prosima.node.client.TxSigner;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.ConsensusMessage;
import io.prosima.proto.v1.Evidence;
import io.prosima.proto.v1.GossipBody;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.TxBatch;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.storage.StorageException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One validator's consensus as a deterministic state machine: the BFT core with the ledger's
 * validator, proposer and applier, the synced blocks held for later heights, the wait for
 * transactions before proposing and the re-sending of its own signed messages. No threads, no
 * sockets and no clock reads of its own: inputs come in as method calls with the time (monotonic
 * nanoseconds), outputs go out through {@link Outputs}. The node runs it on its consensus thread
 * ({@link ConsensusDriver}); the deterministic simulator runs the very same class over a simulated
 * network, clock and disk (TigerBeetle's pattern: one replica, two harnesses).
 *
 * <p>Not thread-safe: one caller at a time. Every signed vote or proposal is synced to the WAL
 * before it is handed to {@link Outputs#broadcast}.
 */
public final class ConsensusReplica {
  private static final Logger log = LoggerFactory.getLogger(ConsensusReplica.class);

  /** How long a proposer with an empty mempool waits for transactions before proposing none. */
  public static final long EMPTY_BLOCK_WAIT_MS = 1_000;

  /**
   * A propose timeout that fires while the round's proposal is still being fetched is put off once
   * by this much. Under load the first large block after a quiet spell reaches validators whose
   * mempools lack most of its txs: in a 4-validator benchmark two of them waited out the 3 s
   * propose timeout, one of them mid-fetch, prevoted nil and sent the height to round 1 (several
   * seconds lost, and the block built again). A proposer that never completes its proposal costs at
   * most this much more per round.
   */
  static final long PROPOSE_EXTENSION_MS = 3_000;

  /** Heights that take at least this long are logged. */
  static final long SLOW_HEIGHT_MS = 1_000;

  /** Own signed messages of the current height are sent again this often. */
  public static final long RESEND_INTERVAL_MS = 1_000;

  /** Transactions passed on to peers go in gossip batches of at most this many bytes. */
  public static final long TX_BATCH_BYTES_MAX = 4 << 20;

  /** An evidence transaction must be included within this many heights. */
  static final long EVIDENCE_EXPIRY_HEIGHTS = 1_000;

  /** Own signed messages of the current height kept for re-sending, at most (newest kept). */
  static final int OWN_MESSAGES_KEPT = 48;

  /** Synced blocks held for later heights, at most. */
  static final int SYNCED_BLOCKS_HELD_MAX = 256;

  /** Where the replica's outputs go. Called on the caller's thread, in order. */
  public interface Outputs {
    /** To every peer (gossip); a chain of one validator drops it. */
    void broadcast(GossipBody body);

    /** Deliver {@code timeout} back to {@link #onTimeout} after {@code delayMs}. */
    void schedule(Event.TimeoutFired timeout, long delayMs);

    /** The core found two conflicting signed votes (already recorded on chain as a tx). */
    default void evidenceFound(Evidence evidence) {}
  }

  private final LedgerCore core;
  private final TxAdmission admission;
  private final LedgerBlockValidator validator;
  private final BlockProposer proposer;
  private final BlockApplier applier;
  private final BftCore bft;
  private final KeyFile key;
  private final Clock clock;
  private final Outputs out;
  private final TreeMap<Long, CommittedBlock> syncedAhead = new TreeMap<>();
  // Every message this validator signed at the current height, all rounds: re-sent until the
  // height commits. Only the last of each kind would not do: a peer that lost our precommit of
  // round 0 stays in round 0 while we wait in round 1 (the soak found it, seed 5688).
  private final ArrayDeque<ConsensusMessage> ownThisHeight = new ArrayDeque<>();
  private long evidenceNonce;
  private long blocksSynced;
  private long dropped;

  /** Whether a compact proposal of (height, round, proposer) waits for fetched transactions. */
  interface FetchWatch {
    boolean waitingFor(long height, int round, ByteString proposer);
  }

  private FetchWatch fetches = (h, r, p) -> false;
  // The (height, round) whose propose timeout was last put off: once per round.
  private long extendedHeight = -1;
  private int extendedRound = -1;

  // Written by the consensus thread, read by fetch-serving threads.
  private volatile SignedBlockTxs signedBlocks;
  private long heightStartNanos;
  // The (height, round) the core asked this node to propose for, while it waits for txs; or null.
  private long[] pendingProposal;
  private long proposalDeadlineNanos;
  private long nextResendNanos;

  /**
   * @param clock wall-clock time for block times (the proposer's header time and the validator's
   *     drift bound); the simulator passes its own
   */
  public ConsensusReplica(
      LedgerCore core,
      TxAdmission admission,
      KeyFile key,
      BftConfig config,
      Clock clock,
      Outputs out,
      long nowNanos)
      throws StorageException {
    this.core = core;
    this.admission = admission;
    this.key = key;
    this.clock = clock;
    this.out = out;
    this.validator = new LedgerBlockValidator(core, admission, clock);
    this.proposer = new BlockProposer(core, validator, key.getEd25519PublicKey(), clock);
    this.applier = new BlockApplier(core, validator);
    SignedVoteRecord record =
        core.store.signedVotes().map(VoteRecords::fromData).orElse(SignedVoteRecord.EMPTY);
    this.bft =
        new BftCore(
            config,
            h -> core.validatorSets().at(h),
            key.getEd25519PrivateKey().toByteArray(),
            validator,
            core.store.height() + 1,
            record);
    this.heightStartNanos = nowNanos;
    this.nextResendNanos = nowNanos;
    this.signedBlocks = SignedBlockTxs.of(record);
  }

  // ---- Inputs ---------------------------------------------------------------------------------

  /** Starts the core (once, before any other input). */
  public void start(long nowNanos) throws StorageException {
    process(bft.onEvent(new Event.Start()), nowNanos);
    step(nowNanos);
  }

  /**
   * Null when a peer's consensus message may be taken and relayed, else why not: the checks that
   * need no core state (see {@link PeerMessageCheck}). Safe from any thread.
   */
  public String admissible(ConsensusMessage m) {
    return PeerMessageCheck.check(
        m, core.genesis.getChainId(), core.validatorSets(), core.store.height());
  }

  /**
   * Null when blocks a peer sent for block sync may be held for the core, else why not: consecutive
   * heights, each body under its header (tx count and root), each linked to the one before, each
   * certified by more than 2/3 of the weight. A tampered body under an authentic header or a forged
   * certificate is caught here, before the core, so that the sender loses sync score and the
   * heights are asked of another neighbour. The core checks everything again in context (parent,
   * state). Safe from any thread.
   *
   * <p>Certificates are checked here only up to the height whose validator set committed state
   * already fixes (tip + {@link ValidatorSets#ACTIVATION_DELAY_HEIGHTS} - 1): a later block may be
   * signed by a set that a change inside this very batch puts in force. Those blocks are still
   * linked by hash to a checked one, and the core checks their certificates when it reaches them.
   */
  public String checkSynced(List<CommittedBlock> blocks) {
    ValidatorSets sets = core.validatorSets();
    long knownMax = core.store.height() + ValidatorSets.ACTIVATION_DELAY_HEIGHTS - 1;
    byte[] previousId = null;
    long previousHeight = -1;
    for (CommittedBlock cb : blocks) {
      Block b = cb.getBlock();
      var h = b.getHeader();
      if (!Signing.isCanonical(cb)) {
        return "a synced block carries unknown fields";
      }
      if (previousId != null
          && (h.getHeight() != previousHeight + 1
              || !Arrays.equals(previousId, h.getPreviousHash().toByteArray()))) {
        return "synced blocks do not link at height " + Long.toUnsignedString(h.getHeight());
      }
      if (h.getTxCount() != b.getTxsCount()
          || !Arrays.equals(BlockCodec.txRoot(b.getTxsList()), h.getTxRoot().toByteArray())) {
        return "synced block "
            + Long.toUnsignedString(h.getHeight())
            + " has a body not under its header";
      }
      byte[] id = BlockCodec.blockId(h);
      String bad =
          Long.compareUnsigned(h.getHeight(), knownMax) > 0
              ? null
              : BlockCodec.checkCommit(
                  core.genesis.getChainId(), id, cb.getCommit(), sets.at(h.getHeight()).weights());
      if (bad != null) {
        return "synced block " + Long.toUnsignedString(h.getHeight()) + ": " + bad;
      }
      previousId = id;
      previousHeight = h.getHeight();
    }
    return null;
  }

  /** A peer's proposal or vote, already found {@link #admissible}. */
  public void onConsensus(ConsensusMessage m, long nowNanos) throws StorageException {
    Event e =
        m.hasProposal()
            ? new Event.ProposalReceived(m.getProposal())
            : new Event.VoteReceived(m.getVote());
    process(bft.onEvent(e), nowNanos);
    step(nowNanos);
  }

  /** Where the replica learns of proposals being fetched ({@link GossipIntake} sets it). */
  void watchFetches(FetchWatch watch) {
    this.fetches = watch;
  }

  /** A timeout the replica scheduled through {@link Outputs#schedule} fired. */
  public void onTimeout(Event.TimeoutFired timeout, long nowNanos) throws StorageException {
    if (putOff(timeout)) {
      out.schedule(timeout, PROPOSE_EXTENSION_MS);
      return;
    }
    process(bft.onEvent(timeout), nowNanos);
    step(nowNanos);
  }

  /** Whether {@code timeout} is a propose timeout to put off: its proposal is being fetched. */
  private boolean putOff(Event.TimeoutFired timeout) {
    long h = timeout.height();
    int r = timeout.round();
    if (timeout.step() != Step.PROPOSE
        || h != bft.height()
        || r != bft.round()
        || bft.step() != Step.PROPOSE
        || (extendedHeight == h && extendedRound == r)
        || !fetches.waitingFor(h, r, bft.schedule().proposer(h, r))) {
      return false;
    }
    extendedHeight = h;
    extendedRound = r;
    log.info(
        "height {} round {}: propose timeout put off by {} ms, the proposal is being fetched",
        h,
        r,
        PROPOSE_EXTENSION_MS);
    return true;
  }

  /** Blocks a peer sent for block sync; the core checks each certificate before committing. */
  public void onSynced(List<CommittedBlock> blocks, long nowNanos) throws StorageException {
    long tip = core.store.height();
    for (CommittedBlock b : blocks) {
      long h = b.getBlock().getHeader().getHeight();
      if (h > tip && h <= tip + SYNCED_BLOCKS_HELD_MAX) {
        syncedAhead.put(h, b);
      }
    }
    step(nowNanos);
  }

  /**
   * Nothing arrived but time passed (a wake-up at {@link #nextWakeNanos}, or transactions entered
   * the mempool): propose if waiting, re-send if due.
   */
  public void step(long nowNanos) throws StorageException {
    feedSynced(nowNanos);
    maybePropose(nowNanos);
    maybeResend(nowNanos);
  }

  /** When {@link #step} has something to do next if no input comes first. */
  public long nextWakeNanos() {
    long until = nextResendNanos;
    if (pendingProposal != null && proposalDeadlineNanos - until < 0) {
      until = proposalDeadlineNanos;
    }
    return until;
  }

  // ---- Reads ----------------------------------------------------------------------------------

  /** Committed blocks from {@code from} on, for a peer that is behind. Safe from any thread. */
  public List<CommittedBlock> blocks(long from, int max, long maxBytes) {
    List<CommittedBlock> blocks = new ArrayList<>();
    long bytes = 0;
    long top = core.store.height();
    for (long h = from; h <= top && blocks.size() < max; h++) {
      CommittedBlock b = core.store.block(h).orElseThrow();
      bytes += b.getSerializedSize();
      if (bytes > maxBytes && !blocks.isEmpty()) {
        break;
      }
      blocks.add(b);
    }
    return blocks;
  }

  public long height() {
    return core.store.height();
  }

  /** A transaction waiting in the mempool, by hash; or null. Safe from any thread. */
  public Transaction pendingTx(ByteString hash) {
    byte[] h = hash.toByteArray();
    synchronized (core.lock) {
      var e = core.mempool.get(h);
      return e == null ? null : e.tx();
    }
  }

  /**
   * A transaction of the block this validator last proposed or is locked on, by hash; or null.
   * Those blocks survive a restart in the signed-vote record, while the mempool does not: without
   * this, a block that other validators locked on could be re-proposed by no one, since no honest
   * node could serve its transactions any more (the simulator found it). Safe from any thread.
   */
  public Transaction signedBlockTx(ByteString hash) {
    return signedBlocks.get(hash);
  }

  /** A committed transaction, by hash; or null. Safe from any thread. */
  public Transaction committedTx(ByteString hash) {
    return core.store.tx(hash.toByteArray()).orElse(null);
  }

  /** The genesis limit of transactions per block. */
  public int blockTxsMax() {
    return core.genesis.getConsensus().getBlockTxsMax();
  }

  /** The height the core works on (the tip + 1 once it has caught up). */
  public long coreHeight() {
    return bft.height();
  }

  public int round() {
    return bft.round();
  }

  /** The core's step in its round (for diagnostics). */
  public Step step() {
    return bft.step();
  }

  /** Whether this node's key votes at the height the core works on. */
  public boolean member() {
    return bft.member();
  }

  public long blocksSynced() {
    return blocksSynced;
  }

  /** Inputs the core dropped (stale, duplicate or invalid). */
  public long dropped() {
    return dropped;
  }

  /**
   * Transactions passed on to peers, in gossip batches that fit a p2p frame comfortably: one rule
   * for the node and the simulator.
   */
  public static List<GossipBody> txGossip(List<Transaction> txs) {
    List<GossipBody> bodies = new ArrayList<>();
    TxBatch.Builder batch = TxBatch.newBuilder();
    long bytes = 0;
    for (Transaction tx : txs) {
      int size = tx.getSerializedSize();
      if (bytes + size > TX_BATCH_BYTES_MAX && batch.getTxsCount() > 0) {
        bodies.add(GossipBody.newBuilder().setTxs(batch).build());
        batch = TxBatch.newBuilder();
        bytes = 0;
      }
      batch.addTxs(tx);
      bytes += size;
    }
    if (batch.getTxsCount() > 0) {
      bodies.add(GossipBody.newBuilder().setTxs(batch).build());
    }
    return bodies;
  }

  /**
   * Admits a peer's transactions and returns the hashes of those admitted, to announce on: only
   * what this node admitted, so a neighbour cannot make every hop pass on transactions that fail
   * their checks. Thread-safe (the node calls it on its admission thread).
   */
  public static List<ByteString> admitFromPeer(TxAdmission admission, List<Transaction> txs) {
    TxAdmission.Admitted r = admission.admitFromPeer(txs);
    return admittedHashes(r);
  }

  /** The hashes of the transactions admission took. */
  public static List<ByteString> admittedHashes(TxAdmission.Admitted r) {
    List<ByteString> taken = new ArrayList<>(r.hashes().length);
    for (int i = 0; i < r.hashes().length; i++) {
      if (r.refusals()[i] == null) {
        taken.add(ByteString.copyFrom(r.hashes()[i]));
      }
    }
    return taken;
  }

  // ---- Carrying out the core's actions --------------------------------------------------------

  private void process(List<Action> actions, long nowNanos) throws StorageException {
    long decided = -1;
    for (Action a : actions) {
      if (a instanceof Action.PersistVote p) {
        core.store.saveSignedVotes(VoteRecords.toData(p.record()));
        signedBlocks = SignedBlockTxs.of(p.record());
      } else if (a instanceof Action.Broadcast b) {
        rememberOwn(b.message());
        out.broadcast(CompactProposals.wire(b.message()));
      } else if (a instanceof Action.ScheduleTimeout t) {
        out.schedule(new Event.TimeoutFired(t.height(), t.round(), t.step()), t.delayMs());
      } else if (a instanceof Action.RequestProposal r) {
        pendingProposal = new long[] {r.height(), r.round()};
        proposalDeadlineNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(EMPTY_BLOCK_WAIT_MS);
      } else if (a instanceof Action.Commit c) {
        long applyStart = System.nanoTime();
        applier.apply(c.height(), c.block(), c.certificate(), heightStartNanos);
        decided = c.height();
        long heightMs = TimeUnit.NANOSECONDS.toMillis(nowNanos - heightStartNanos);
        // A height that needed more than one round, or long, is worth a line; others are noise.
        if (c.certificate().getRound() > 0 || heightMs >= SLOW_HEIGHT_MS) {
          log.info(
              "height {} committed in round {} after {} ms ({} txs, apply {} ms)",
              c.height(),
              c.certificate().getRound(),
              heightMs,
              c.block().getTxsCount(),
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - applyStart));
        }
      } else if (a instanceof Action.EvidenceFound ev) {
        onEvidence(ev.evidence());
      } else if (a instanceof Action.Dropped d) {
        dropped++;
        log.debug("dropped: {}", d.reason());
      }
    }
    if (decided > 0) {
      heightStartNanos = nowNanos;
      pendingProposal = null;
      ownThisHeight.clear();
      syncedAhead.headMap(decided + 1).clear();
      process(bft.onEvent(new Event.NewHeight(decided + 1)), nowNanos);
    }
  }

  /**
   * Records an equivocation on chain: a transaction signed with this validator's key, admitted here
   * and passed on like a client's. Several validators may report the same equivocation; the ledger
   * keeps the first and refuses the rest as duplicates.
   */
  private void onEvidence(Evidence evidence) {
    log.warn(
        "equivocation by validator {} at height {} round {}; recording evidence on chain",
        shortKey(evidence.getVoteA().getValidator()),
        evidence.getVoteA().getHeight(),
        evidence.getVoteA().getRound());
    out.evidenceFound(evidence);
    evidenceNonce = Math.max(evidenceNonce + 1, clock.millis() * 1_000);
    Transaction tx =
        TxSigner.sign(
            core.genesis.getChainId(),
            key,
            evidenceNonce,
            core.store.height() + EVIDENCE_EXPIRY_HEIGHTS,
            EvidenceTxs.payload(evidence));
    List<Transaction> txs = List.of(tx);
    // One transaction: admitted on this thread; admission passes it on to peers.
    TxAdmission.Admitted r = admission.admitOwn(txs);
    if (r.refusals()[0] != null) {
      log.info("evidence not admitted: {}", r.refusals()[0].message());
    }
  }

  /** Proposes once transactions wait or the empty-block wait is over. */
  private void maybePropose(long nowNanos) throws StorageException {
    long[] p = pendingProposal;
    if (p == null) {
      return;
    }
    if (p[0] != bft.height() || p[1] != bft.round()) {
      pendingProposal = null; // the core moved on
      return;
    }
    if (core.mempoolSize() == 0 && nowNanos - proposalDeadlineNanos < 0) {
      return;
    }
    pendingProposal = null;
    Block block = proposer.build(p[0]);
    process(bft.onEvent(new Event.BlockReady(p[0], (int) p[1], block)), nowNanos);
  }

  private void maybeResend(long nowNanos) {
    if (nowNanos - nextResendNanos < 0) {
      return;
    }
    nextResendNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(RESEND_INTERVAL_MS);
    long h = bft.height();
    // After a restart only the WAL's last messages are known; they are among these otherwise.
    SignedVoteRecord r = bft.record();
    if (r.lastProposal() != null && r.lastProposal().getHeight() == h) {
      rememberOwn(ConsensusMessage.newBuilder().setProposal(r.lastProposal()).build());
    }
    if (r.lastPrevote() != null && r.lastPrevote().getHeight() == h) {
      rememberOwn(ConsensusMessage.newBuilder().setVote(r.lastPrevote()).build());
    }
    if (r.lastPrecommit() != null && r.lastPrecommit().getHeight() == h) {
      rememberOwn(ConsensusMessage.newBuilder().setVote(r.lastPrecommit()).build());
    }
    for (ConsensusMessage m : ownThisHeight) {
      if (heightOf(m) == h) {
        send(m);
      }
    }
  }

  /** Keeps a message this validator signed (not others' votes it passes on) for re-sending. */
  private void rememberOwn(ConsensusMessage m) {
    ByteString self = key.getEd25519PublicKey();
    boolean own =
        m.hasProposal()
            ? m.getProposal().getProposer().equals(self)
            : m.getVote().getValidator().equals(self);
    if (!own || ownThisHeight.contains(m)) {
      return;
    }
    ownThisHeight.addLast(m);
    while (ownThisHeight.size() > OWN_MESSAGES_KEPT) {
      ownThisHeight.removeFirst();
    }
  }

  private static long heightOf(ConsensusMessage m) {
    return m.hasProposal() ? m.getProposal().getHeight() : m.getVote().getHeight();
  }

  private void send(ConsensusMessage m) {
    out.broadcast(CompactProposals.wire(m));
  }

  /** Gives the core each synced block of its current height, in order, while they commit. */
  private void feedSynced(long nowNanos) throws StorageException {
    while (true) {
      CommittedBlock next = syncedAhead.remove(bft.height());
      if (next == null) {
        return;
      }
      long before = core.store.height();
      process(bft.onEvent(new Event.CommitReceived(next.getBlock(), next.getCommit())), nowNanos);
      if (core.store.height() == before) {
        return; // refused (bad certificate or block): wait for another copy
      }
      blocksSynced++;
    }
  }

  private static String shortKey(ByteString key) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(4, key.size()); i++) {
      s.append(String.format("%02x", key.byteAt(i)));
    }
    return s.toString();
  }
}
