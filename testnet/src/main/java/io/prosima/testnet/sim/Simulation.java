package io.prosima.testnet.sim;

import com.google.protobuf.ByteString;
import io.prosima.consensus.bft.BftConfig;
import io.prosima.consensus.bft.Event;
import io.prosima.consensus.mempool.Mempool;
import io.prosima.genesis.OverlayTopology;
import io.prosima.genesis.ValidatorChanges;
import io.prosima.node.ValidatorOverlay;
import io.prosima.node.ledger.ConsensusReplica;
import io.prosima.node.ledger.GossipIntake;
import io.prosima.node.ledger.LedgerCore;
import io.prosima.node.ledger.TxAdmission;
import io.prosima.p2p.BlockSource;
import io.prosima.p2p.GossipRouter;
import io.prosima.p2p.P2pConfig;
import io.prosima.p2p.P2pNetwork;
import io.prosima.p2p.SyncState;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.ConsensusMessage;
import io.prosima.proto.v1.Evidence;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.Gossip;
import io.prosima.proto.v1.GossipBody;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.PeerFrame;
import io.prosima.proto.v1.PeerStatus;
import io.prosima.proto.v1.SyncRequest;
import io.prosima.proto.v1.SyncResponse;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.TxAnnounce;
import io.prosima.proto.v1.TxFetch;
import io.prosima.proto.v1.TxFetched;
import io.prosima.proto.v1.Validator;
import io.prosima.proto.v1.ValidatorChange;
import io.prosima.proto.v1.ValidatorChangeBody;
import io.prosima.proto.wire.TxCodec;
import io.prosima.proto.wire.WireLimits;
import io.prosima.storage.RocksDbLedgerStore;
import io.prosima.storage.StorageException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * N validators in one thread over a simulated network, clock and disk, driven by one seed. Each
 * runs the node's own code: {@link ConsensusReplica} (the BFT core with the ledger's validator,
 * proposer, applier), {@link TxAdmission}, the RocksDB store, the overlay's {@link GossipRouter}
 * flood over the genesis Barabási–Albert overlay (one message per overlay hop) and block sync's
 * {@link SyncState}. Only the transport is simulated: links with delays, drops, duplicates and
 * partitions, a frame size limit, crashes and clock skew, all from one {@link SplittableRandom};
 * events at equal times run in scheduling order, so a seed replays exactly. Simulated clients
 * (their own generator, split from the seed) submit signed anchors to random honest nodes.
 */
public final class Simulation {
  static final String CHAIN_ID = SimGenesis.CHAIN_ID;

  /**
   * A crash waits this long for a persisted vote or a send to interrupt, before it happens between
   * events.
   */
  static final long CRASH_POINT_WAIT_MS = 300;

  /** Each node announces its height to its neighbours this often (the node's p2p default). */
  static final long STATUS_INTERVAL_MS = P2pConfig.STATUS_INTERVAL_DEFAULT.toMillis();

  static final int SIM_EVENTS_MAX = 5_000_000;

  /** A client submits the next transaction 1 to this many ms after the last (mean about 20). */
  static final long TX_SUBMIT_INTERVAL_MS_MAX = 40;

  /** A node's mempool holds at most this many transactions. */
  static final int MEMPOOL_TXS_MAX = 5_000;

  static final long MEMPOOL_BYTES_MAX = 64L << 20;

  /** Sync: the node's held-bytes bound and claim lead; a shorter timeout for simulated links. */
  static final long SYNC_TIMEOUT_MS = 500;

  /** Timeouts for simulated links of 1–20 ms. */
  static BftConfig bftConfig() {
    return new BftConfig(CHAIN_ID, 100, 20, 50, 20, 50, 20, 5_000);
  }

  private sealed interface SimEvent {}

  private record Deliver(int from, int to, Object frame) implements SimEvent {}

  private record Timer(int node, int incarnation, Event.TimeoutFired timeout) implements SimEvent {}

  private record Wake(int node, int incarnation, long atNanos) implements SimEvent {}

  private record Status(int node, int incarnation) implements SimEvent {}

  private record Crash(int node, long downMs) implements SimEvent {}

  private record ForceCrash(int node) implements SimEvent {}

  private record Restart(int node) implements SimEvent {}

  private record PartitionStart(int[] group) implements SimEvent {}

  private record PartitionEnd() implements SimEvent {}

  private record FaultsEnd() implements SimEvent {}

  private record Submit() implements SimEvent {}

  /** The operator submits validator change {@code sequence} (again, until it is decided). */
  private record SubmitChange(int sequence) implements SimEvent {}

  private record Scheduled(long timeMs, long seq, SimEvent event) {}

  private final SimConfig config;
  private final SplittableRandom rng;
  private final SplittableRandom clientRng;
  private final Genesis genesis;
  private final SimGenesis chain;
  private final SimClients clients;
  private final TxCache txCache = new TxCache();
  private final BftConfig bft = bftConfig();
  private final List<SimNode> nodes = new ArrayList<>();
  private final Map<ByteString, Integer> validatorIndex = new HashMap<>();
  private final List<ByteString> honestKeys = new ArrayList<>();
  private final Checkers checkers;
  private final PriorityQueue<Scheduled> queue =
      new PriorityQueue<>(
          (a, b) ->
              a.timeMs != b.timeMs ? Long.compare(a.timeMs, b.timeMs) : Long.compare(a.seq, b.seq));
  private long seq;
  private long now;
  private boolean faultsActive = true;
  private int[] partition;
  private long[] livenessBaseline;
  private long allCommittedMs = -1;
  private long consensusMessages;
  private long syncMessages;
  private long relayedMessages;
  private long sentMessages;
  private long txGossipMessages;
  private long crashes;
  private long crashesAfterPersistBeforeSend;
  private long maxRound;
  private long forgedTxs;
  private long fetches;
  private long txBodiesRelayed;
  private long compactProposalsSent;
  private long fullProposalsSent;
  // Validator changes of this run (issue 17), or null.
  private final Membership membership;
  private SimNode joiner;
  private final Map<Integer, Transaction> changeTxs = new HashMap<>();

  /** Retry interval of an operator's validator change until it is decided. */
  static final long CHANGE_RESUBMIT_MS = 300;

  public Simulation(SimConfig config) {
    this(config, false);
  }

  /**
   * @param membership whether a validator joins and one leaves during the run (when the seed's
   *     scenario allows it, see {@link Membership#plan})
   */
  public Simulation(SimConfig config, boolean membership) {
    this.config = config;
    this.rng = new SplittableRandom(config.seed());
    this.clientRng = rng.split();
    this.chain = SimGenesis.build(config.weights());
    this.genesis = chain.genesis();
    this.clients = new SimClients(CHAIN_ID, chain.clientKeys());
    for (int i = 0; i < config.weights().length; i++) {
      ByteString pk = genesis.getValidators(i).getPublicKey();
      validatorIndex.put(pk, i);
      if (!config.isByzantine(i)) {
        honestKeys.add(pk);
      }
    }
    this.checkers =
        new Checkers(config, CHAIN_ID, genesis, clients.signers(), validatorIndex, txCache);
    for (int i = 0; i < config.weights().length; i++) {
      ByzantineMode mode = config.byzantine()[i];
      int twins = mode.twins() ? 2 : 1;
      for (int t = 0; t < twins; t++) {
        double skew =
            1 + (config.clockSkewMax() == 0 ? 0 : rng.nextDouble(-1, 1) * config.clockSkewMax());
        long offsetMs = config.clockSkewMax() == 0 ? 0 : rng.nextLong(-1_000, 1_001);
        nodes.add(
            new SimNode(nodes.size(), i, chain.validatorKeys().get(i), mode, t, skew, offsetMs));
      }
    }
    wireOverlay();
    this.membership = membership ? Membership.plan(config, genesis, config.seed()) : null;
    if (this.membership != null) {
      int v = genesis.getValidatorsCount();
      KeyFile key = this.membership.joinerKey();
      validatorIndex.put(key.getEd25519PublicKey(), v);
      honestKeys.add(key.getEd25519PublicKey());
      joiner = new SimNode(nodes.size(), v, key, ByzantineMode.HONEST, 0, 1, 0);
      joiner.launched = false;
      nodes.add(joiner);
      checkers.watchSigner(key.getEd25519PublicKey());
    }
  }

  /** Whether this run changes its validator set. */
  public boolean changesValidators() {
    return membership != null;
  }

  /** Validator changes decided in the run (after {@link #run}). */
  public long changesDecided() {
    return checkers.sets().changes();
  }

  /** Validators in the set in force at the last decided height (after {@link #run}). */
  public int validatorsAtEnd() {
    return checkers.sets().at(checkers.decidedHeights()).size();
  }

  /** The first decided height whose certificate the joined validator signed; -1 if none. */
  public long joinerFirstSignedHeight() {
    return checkers.watchedSignedAt();
  }

  /** Whether the run plans a leave as well as a join. */
  public boolean plansLeave() {
    return membership != null && membership.leaver() >= 0;
  }

  // ---- Validator changes (issue 17) ------------------------------------------------------------

  /** The operator's change tx: signed by a validator, approved by every genesis validator. */
  private Transaction changeTx(int sequence) {
    ValidatorChangeBody body = sequence == 0 ? membership.join() : membership.leave();
    ValidatorChange.Builder c = ValidatorChange.newBuilder().setBody(body);
    for (KeyFile k : chain.validatorKeys()) {
      c.addApprovals(ValidatorChanges.approve(CHAIN_ID, body, k));
    }
    KeyFile signer = chain.validatorKeys().get(0);
    Transaction unsigned =
        Transaction.newBuilder()
            .setChainId(CHAIN_ID)
            .setSigner(signer.getEd25519PublicKey())
            .setNonce(1_000_000_000L + sequence)
            .setExpiryHeight(5_000)
            .setPayload(Payload.newBuilder().setValidatorChange(c))
            .build();
    return TxCodec.sign(
        unsigned,
        signer.getEd25519PrivateKey().toByteArray(),
        signer.getEd25519PublicKey().toByteArray());
  }

  private void submitChange(int sequence) {
    if (checkers.sets().changes() > sequence) {
      return; // decided
    }
    if (sequence == 0 && !joiner.launched) {
      // The joining site starts its node from genesis and its key, with the change that adds it.
      joiner.launched = true;
      restart(joiner);
    }
    if (sequence == 1 && checkers.sets().latest().fromHeight() > checkers.decidedHeights()) {
      schedule(now + CHANGE_RESUBMIT_MS, new SubmitChange(sequence)); // the join is not in force
      return;
    }
    Transaction tx = changeTxs.computeIfAbsent(sequence, this::changeTx);
    checkers.onOperatorTx(txCache.hash(tx));
    List<SimNode> up = new ArrayList<>();
    for (SimNode n : nodes) {
      if (n.honest() && n.up() && n != joiner) {
        up.add(n);
      }
    }
    if (!up.isEmpty()) {
      SimNode n = up.get(clientRng.nextInt(up.size()));
      run(n, () -> n.admission.admit(List.of(tx), n.admission.hashAll(List.of(tx))));
    }
    schedule(now + CHANGE_RESUBMIT_MS, new SubmitChange(sequence));
  }

  /**
   * Whether {@code n} left the set: the planned leaver, once its removal is decided and in force.
   */
  private boolean left(SimNode n) {
    return membership != null
        && n.validator == membership.leaver()
        && checkers.sets().changes() >= 2
        && checkers.decidedHeights() >= checkers.sets().latest().fromHeight();
  }

  /** Whether the planned changes are decided, in force, and the joiner signed a certificate. */
  private boolean membershipDone() {
    if (membership == null) {
      return true;
    }
    int planned = membership.leaver() >= 0 ? 2 : 1;
    return checkers.sets().changes() >= planned
        && checkers.decidedHeights() >= checkers.sets().latest().fromHeight()
        && checkers.watchedSignedAt() > 0;
  }

  /**
   * The node's links as its own committed state has them: its neighbours in every set in force at
   * its next height or later (so a joiner's links open when the change commits, before it votes,
   * and a leaver's close once its removal is in force). A joiner whose node has not learned its
   * change yet links as the change names (what its operator configured). As mutual TLS would,
   * {@link #deliver} drops frames from instances the receiver does not link to.
   */
  private void refreshNeighbours(SimNode n) {
    if (membership == null || !n.up()) {
      return;
    }
    // The node's own rule (ValidatorOverlay), over the node's committed sets.
    var wanted =
        ValidatorOverlay.neighbours(
            n.core.validatorSets(),
            n.store.height() + 1,
            n.key.getEd25519PublicKey(),
            n == joiner
                ? java.util.Optional.of(
                    ValidatorChange.newBuilder().setBody(membership.join()).build())
                : java.util.Optional.empty());
    List<Integer> links = new ArrayList<>();
    for (ByteString key : wanted.keySet()) {
      Integer v = validatorIndex.get(key);
      for (SimNode m : nodes) {
        if (v != null && m.validator == v) {
          links.add(m.instance);
        }
      }
    }
    links.sort(Integer::compare);
    if (!links.equals(n.neighbours)) {
      n.neighbours.clear();
      n.neighbours.addAll(links);
    }
  }

  /**
   * Links instances as the genesis overlay links validators. Twins both take their validator's
   * place; DOUBLE_VOTER twins split its neighbours between them.
   */
  private void wireOverlay() {
    for (SimNode n : nodes) {
      String name = genesis.getValidators(n.validator).getName();
      List<Validator> around = OverlayTopology.neighbours(genesis, name);
      for (int k = 0; k < around.size(); k++) {
        int v = validatorIndex.get(around.get(k).getPublicKey());
        for (SimNode m : nodes) {
          if (m.validator != v) {
            continue;
          }
          boolean nSplit = n.mode == ByzantineMode.DOUBLE_VOTER;
          boolean mSplit = m.mode == ByzantineMode.DOUBLE_VOTER;
          if (nSplit && k % 2 != n.twinTag) {
            continue;
          }
          if (mSplit) {
            int kk = indexOf(OverlayTopology.neighbours(genesis, around.get(k).getName()), name);
            if (kk % 2 != m.twinTag) {
              continue;
            }
          }
          n.neighbours.add(m.instance);
        }
      }
    }
  }

  private static int indexOf(List<Validator> vs, String name) {
    for (int i = 0; i < vs.size(); i++) {
      if (vs.get(i).getName().equals(name)) {
        return i;
      }
    }
    throw new IllegalStateException("overlay is not symmetric at " + name);
  }

  /** Runs to completion; throws {@link SimulationFailure} when a checker fails. */
  public SimResult run() {
    try {
      return runToEnd();
    } finally {
      for (SimNode n : nodes) {
        n.dispose();
      }
    }
  }

  private SimResult runToEnd() {
    scheduleFaults();
    scheduleSubmit();
    if (membership != null) {
      schedule(membership.joinAtMs(), new SubmitChange(0));
      if (membership.leaver() >= 0) {
        schedule(membership.leaveAtMs(), new SubmitChange(1));
      }
    }
    for (SimNode n : nodes) {
      if (n.launched) {
        restart(n);
      }
    }
    long endMs = config.faultsEndMs() + config.livenessWindowMs();
    int events = 0;
    while (!queue.isEmpty()) {
      Scheduled s = queue.poll();
      if (s.timeMs > endMs) {
        break;
      }
      now = s.timeMs;
      dispatch(s.event);
      if (++events > SIM_EVENTS_MAX) {
        checkers.fail("more than " + SIM_EVENTS_MAX + " events");
      }
      if (done()) {
        break;
      }
    }
    for (SimNode n : nodes) {
      if (n.honest() && n.up()) {
        checkers.checkDurable(n, n.durableChain());
      }
    }
    if (!done()) {
      StringBuilder heights = new StringBuilder();
      for (SimNode n : nodes) {
        heights.append(n.instance).append(':').append(n.height());
        heights.append(n.up() ? "/r" + n.replica.round() : "/down").append(' ');
      }
      checkers.fail(
          "liveness: honest nodes did not reach their heights by "
              + endMs
              + " ms (heights "
              + heights
              + ")");
    }
    long minHeight = Long.MAX_VALUE;
    long storeBytes = 0;
    for (SimNode n : nodes) {
      if (n.honest()) {
        minHeight = Math.min(minHeight, n.height());
      }
      storeBytes += n.storeBytesWritten();
    }
    return new SimResult(
        config.seed(),
        minHeight,
        now,
        allCommittedMs,
        consensusMessages,
        syncMessages,
        relayedMessages,
        sentMessages,
        checkers.evidence,
        crashes,
        crashesAfterPersistBeforeSend,
        maxRound,
        checkers.txsSubmitted(),
        checkers.txsCommitted,
        checkers.txsAcknowledged(),
        txGossipMessages,
        compactProposalsSent,
        fullProposalsSent,
        fetches,
        txBodiesRelayed,
        storeBytes);
  }

  private boolean done() {
    if (faultsActive || !membershipDone()) {
      return false;
    }
    for (SimNode n : nodes) {
      if (left(n)) {
        continue; // it no longer votes, and its links are closed: it stops where it left
      }
      if (n.honest()
          && (n.height() < config.targetHeights()
              || n.height() < livenessBaseline[n.instance] + config.livenessHeights())) {
        return false;
      }
    }
    return true;
  }

  private void schedule(long atMs, SimEvent e) {
    queue.add(new Scheduled(atMs, seq++, e));
  }

  // ---- Time as a node sees it -----------------------------------------------------------------

  /** The node's monotonic clock: simulated time at its (skewed) rate. */
  private long localNanos(SimNode n) {
    return Math.round(now * n.clockRate * 1_000_000.0);
  }

  /** Simulated ms after which {@code localDelayMs} have passed on the node's clock. */
  private long afterLocal(SimNode n, double localDelayMs) {
    return now + Math.max(1, (long) Math.ceil(localDelayMs / n.clockRate));
  }

  /** The node's wall clock (block times): genesis time + simulated time + its offset. */
  private Clock wallClock(SimNode n) {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public long millis() {
        return SimGenesis.GENESIS_TIME_MS + now + n.clockOffsetMs;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(millis());
      }
    };
  }

  // ---- Clients --------------------------------------------------------------------------------

  private void scheduleSubmit() {
    schedule(now + clientRng.nextLong(1, TX_SUBMIT_INTERVAL_MS_MAX + 1), new Submit());
  }

  /** A client submits its next transaction to a random honest node that is up. */
  private void submit() {
    List<SimNode> up = new ArrayList<>();
    for (SimNode n : nodes) {
      if (n.honest() && n.up()) {
        up.add(n);
      }
    }
    if (!up.isEmpty()) {
      SimNode n = up.get(clientRng.nextInt(up.size()));
      Transaction tx = clients.next(clientRng);
      checkers.onSubmit(tx, n.instance);
      run(n, () -> n.admission.admit(List.of(tx), n.admission.hashAll(List.of(tx))));
    }
    if (config.sabotage() == Sabotage.INJECT_UNSUBMITTED_TX) {
      // Validator 0 takes a signed transaction no client submitted into its mempool.
      for (SimNode n : nodes) {
        if (n.validator == 0 && n.up()) {
          Transaction forged = clients.forge(forgedTxs++);
          run(n, () -> n.admission.admitFromPeer(List.of(forged)));
        }
      }
    }
    scheduleSubmit();
  }

  // ---- Faults ---------------------------------------------------------------------------------

  private void scheduleFaults() {
    long end = config.faultsEndMs();
    schedule(end, new FaultsEnd());
    if (end == 0) {
      return;
    }
    if (config.partitions()) {
      long t = rng.nextLong(0, Math.max(1, end / 2));
      while (t < end) {
        int[] group = new int[nodes.size()];
        for (int i = 0; i < group.length; i++) {
          group[i] = rng.nextInt(2);
        }
        long len = rng.nextLong(100, 800);
        schedule(t, new PartitionStart(group));
        schedule(Math.min(end, t + len), new PartitionEnd());
        t += len + rng.nextLong(200, 1000);
      }
    }
    List<Integer> honest = new ArrayList<>();
    for (SimNode n : nodes) {
      if (n.honest()) {
        honest.add(n.instance);
      }
    }
    for (int c = 0; c < config.crashes(); c++) {
      int node = honest.get(rng.nextInt(honest.size()));
      long at = rng.nextLong(0, Math.max(1, end - 200));
      schedule(at, new Crash(node, rng.nextLong(50, 600)));
    }
  }

  private void dispatch(SimEvent e) {
    if (e instanceof Deliver d) {
      deliver(d);
    } else if (e instanceof Timer t) {
      SimNode n = nodes.get(t.node);
      if (n.up() && n.incarnation == t.incarnation) {
        run(n, () -> n.replica.onTimeout(t.timeout, localNanos(n)));
      }
    } else if (e instanceof Wake w) {
      SimNode n = nodes.get(w.node);
      if (n.up() && n.incarnation == w.incarnation && n.wakeAtNanos == w.atNanos) {
        n.wakeAtNanos = Long.MIN_VALUE;
        run(n, () -> n.replica.step(localNanos(n)));
      }
    } else if (e instanceof Status s) {
      SimNode n = nodes.get(s.node);
      if (n.up() && n.incarnation == s.incarnation) {
        status(n);
      }
    } else if (e instanceof Crash c) {
      SimNode n = nodes.get(c.node);
      if (n.up()) {
        // Crash inside the node's next persist or send, so that a crash can fall between the
        // persist of a vote and its broadcast; ForceCrash covers a node with nothing to do.
        n.crashPending = true;
        n.downMs = c.downMs;
        schedule(now + CRASH_POINT_WAIT_MS, new ForceCrash(c.node));
      }
    } else if (e instanceof ForceCrash c) {
      SimNode n = nodes.get(c.node);
      if (n.crashPending && faultsActive && n.up()) {
        crash(n);
      }
    } else if (e instanceof Restart r) {
      SimNode n = nodes.get(r.node);
      if (!n.up() && n.launched) {
        restart(n);
      }
    } else if (e instanceof PartitionStart p) {
      partition = p.group;
    } else if (e instanceof PartitionEnd) {
      partition = null;
    } else if (e instanceof Submit) {
      submit();
    } else if (e instanceof SubmitChange c) {
      submitChange(c.sequence());
    } else if (e instanceof FaultsEnd) {
      faultsActive = false;
      partition = null;
      livenessBaseline = new long[nodes.size()];
      for (SimNode n : nodes) {
        n.crashPending = false; // no crash once faults end
        if (!n.up() && n.launched) {
          restart(n);
        }
        livenessBaseline[n.instance] = n.height();
      }
    }
  }

  private void crash(SimNode n) {
    // Down for downMs from the actual crash; FaultsEnd restarts whoever is still down.
    schedule(Math.min(config.faultsEndMs(), now + n.downMs), new Restart(n.instance));
    n.stop();
    n.crashPending = false;
    n.incarnation++;
    crashes++;
  }

  /** Starts (or restarts) the node's process over its disk, as {@code node start} would. */
  private void restart(SimNode n) {
    try {
      SimStore store =
          new SimStore(
              RocksDbLedgerStore.openInMemory(n.disk, "ledger"),
              n.honest() && config.sabotage() == Sabotage.FORGET_VOTE_RECORD,
              () -> crashPoint(n, true));
      n.store = store;
      if (config.sabotage() == Sabotage.DROP_ACKED_TX_ON_RESTART && n.honest()) {
        dropAcknowledgedTx(n, store);
      }
      if (n.honest()) {
        checkers.checkDurable(n, n.durableChain());
      }
      n.core = new LedgerCore(genesis, store, new Mempool(MEMPOOL_TXS_MAX, MEMPOOL_BYTES_MAX));
      n.admission = new TxAdmission(n.core, 1);
      n.admission.onAdmittedLocally(
          hashes -> n.intake.admitted(hashes, sink(n, new ArrayList<>())));
      n.router =
          new GossipRouter(
              n.key.getEd25519PublicKey(),
              P2pConfig.GOSSIP_TTL_DEFAULT,
              P2pNetwork.GOSSIP_SEEN_ENTRIES_MAX,
              P2pNetwork.GOSSIP_SEEN_EXPIRY_MS * 1_000_000,
              rng.nextLong(0, 1L << 62));
      n.sync =
          new SyncState(
              SYNC_TIMEOUT_MS * 1_000_000,
              P2pConfig.SYNC_HELD_BYTES_MAX,
              WireLimits.FRAME_BYTES_MAX,
              P2pConfig.SYNC_CLAIM_LEAD_MAX_HEIGHTS);
      n.replica =
          new ConsensusReplica(
              n.core, n.admission, n.key, bft, wallClock(n), outputs(n), localNanos(n));
      n.intake = new GossipIntake(n.replica);
    } catch (StorageException e) {
      throw new IllegalStateException("simulated disk failed: " + e.getMessage(), e);
    }
    n.acknowledged.clear();
    n.acknowledged.addAll(n.durableChain());
    refreshNeighbours(n);
    run(n, () -> n.replica.start(localNanos(n)));
    if (n.up()) {
      schedule(afterLocal(n, STATUS_INTERVAL_MS), new Status(n.instance, n.incarnation));
    }
  }

  /** Sabotage: one acknowledged transaction is gone from a block on disk, header untouched. */
  private void dropAcknowledgedTx(SimNode n, SimStore store) {
    for (long h = 1; h <= store.height(); h++) {
      CommittedBlock cb = store.block(h).orElseThrow();
      for (int t = 0; t < cb.getBlock().getTxsCount(); t++) {
        if (checkers.isAcknowledged(txCache.hash(cb.getBlock().getTxs(t)))) {
          store.alter(h, cb.toBuilder().setBlock(cb.getBlock().toBuilder().removeTxs(t)).build());
          return;
        }
      }
    }
  }

  /** A crash pending on {@code n} happens here with some chance (always after a persist, half). */
  private void crashPoint(SimNode n, boolean afterPersist) {
    if (!n.crashPending || !faultsActive) {
      return;
    }
    if (afterPersist ? rng.nextBoolean() : rng.nextInt(4) == 0) {
      if (afterPersist) {
        crashesAfterPersistBeforeSend++;
      }
      throw new SimStore.CrashNow();
    }
  }

  private ConsensusReplica.Outputs outputs(SimNode n) {
    return new ConsensusReplica.Outputs() {
      @Override
      public void broadcast(GossipBody body) {
        crashPoint(n, false);
        consensusMessages++;
        flood(n, body);
      }

      @Override
      public void schedule(Event.TimeoutFired timeout, long delayMs) {
        maxRound = Math.max(maxRound, timeout.round());
        Simulation.this.schedule(
            afterLocal(n, delayMs), new Timer(n.instance, n.incarnation, timeout));
      }

      @Override
      public void evidenceFound(Evidence evidence) {
        checkers.onEvidence(n, evidence);
      }
    };
  }

  // ---- Running the node's code ----------------------------------------------------------------

  private interface NodeCall {
    void run() throws StorageException;
  }

  /**
   * Runs one input through the node; a pending crash may interrupt it (its effects so far stand, as
   * a process's would). Then the checkers see what it committed, and its next wake-up is set.
   */
  private void run(SimNode n, NodeCall call) {
    if (!n.up()) {
      return; // crashed by an earlier step of the same delivery
    }
    int incarnation = n.incarnation;
    try {
      call.run();
    } catch (SimStore.CrashNow e) {
      observeCommits(n);
      crash(n);
      return;
    } catch (StorageException e) {
      throw new IllegalStateException("simulated disk failed: " + e.getMessage(), e);
    }
    if (!n.up() || n.incarnation != incarnation) {
      return;
    }
    observeCommits(n);
    refreshNeighbours(n);
    long wake = n.replica.nextWakeNanos();
    if (wake != n.wakeAtNanos) {
      n.wakeAtNanos = wake;
      double localDelayMs = (wake - localNanos(n)) / 1_000_000.0;
      schedule(afterLocal(n, Math.max(0, localDelayMs)), new Wake(n.instance, incarnation, wake));
    }
  }

  /** Hands every block the node made durable since last time to the checkers. */
  private void observeCommits(SimNode n) {
    if (n.store == null) {
      return;
    }
    for (long h = n.acknowledged.size() + 1; h <= n.store.height(); h++) {
      CommittedBlock cb = n.store.block(h).orElseThrow();
      checkers.onCommit(n, h, cb.getBlock(), cb.getCommit());
      n.acknowledged.add(cb);
      noteAllCommitted();
    }
  }

  private void noteAllCommitted() {
    if (allCommittedMs >= 0) {
      return;
    }
    for (SimNode m : nodes) {
      if (m.honest() && m.height() < config.targetHeights()) {
        return;
      }
    }
    allCommittedMs = now;
  }

  // ---- The overlay ----------------------------------------------------------------------------

  /** The node's own new gossip, to every neighbour (as its Byzantine mode rewrites it). */
  private void flood(SimNode n, GossipBody body) {
    Gossip g = n.router.originate(body, localNanos(n));
    for (int i = 0; i < n.neighbours.size(); i++) {
      int to = n.neighbours.get(i);
      Gossip out = n.honest() ? g : Byzantine.rewrite(n, g, i, honestKeys, rng);
      send(n.instance, to, PeerFrame.newBuilder().setGossip(out).build());
      if (n.mode == ByzantineMode.FORGED_ORIGIN) {
        ByteString victim = honestKeys.get(rng.nextInt(honestKeys.size()));
        send(
            n.instance,
            to,
            PeerFrame.newBuilder().setGossip(Byzantine.junk(n, victim, rng)).build());
      }
      if (n.mode == ByzantineMode.OVERSIZED_FRAMES) {
        send(n.instance, to, new Byzantine.Oversized(WireLimits.FRAME_BYTES_MAX + 1L));
      }
    }
  }

  private void status(SimNode n) {
    PeerFrame f =
        PeerFrame.newBuilder()
            .setStatus(PeerStatus.newBuilder().setHeight(Byzantine.claimedHeight(n)))
            .build();
    for (int to : n.neighbours) {
      send(n.instance, to, f);
    }
    requestSync(n);
    // The node ticks its relay every 200 ms; the status interval is close enough here.
    List<Runnable> after = new ArrayList<>();
    n.intake.tick(localNanos(n), sink(n, after));
    after.forEach(Runnable::run);
    schedule(afterLocal(n, STATUS_INTERVAL_MS), new Status(n.instance, n.incarnation));
  }

  private void requestSync(SimNode n) {
    if (!n.honest() && n.mode == ByzantineMode.NEVER_READS) {
      return;
    }
    SyncState.Request r = n.sync.next(n.height(), n.peerHeights, localNanos(n));
    if (r == null) {
      return;
    }
    int to = instanceOf(r.peer());
    syncMessages++;
    send(
        n.instance,
        to,
        PeerFrame.newBuilder()
            .setSyncRequest(
                SyncRequest.newBuilder().setFromHeight(r.fromHeight()).setMaxBlocks(r.maxBlocks()))
            .build());
  }

  private static int instanceOf(ByteString peerId) {
    return Integer.parseInt(peerId.toStringUtf8().substring("instance-".length()));
  }

  private void deliver(Deliver d) {
    SimNode n = nodes.get(d.to);
    if (!n.up()) {
      return;
    }
    if (d.frame instanceof Byzantine.Oversized) {
      return; // the transport's frame decoder refuses it (and closes the link in the node)
    }
    if (n.mode == ByzantineMode.NEVER_READS) {
      return;
    }
    if (membership != null && !n.neighbours.contains(d.from)) {
      return; // mutual TLS refuses a key that is not (or no longer) a neighbour
    }
    PeerFrame f = (PeerFrame) d.frame;
    switch (f.getKindCase()) {
      case GOSSIP -> receiveGossip(n, d.from, f.getGossip());
      case STATUS -> {
        n.peerHeights.put(SimNode.peerId(d.from), f.getStatus().getHeight());
        if (f.getStatus().getHeight() > n.height()) {
          requestSync(n);
        }
      }
      case SYNC_REQUEST -> serveSync(n, d.from, f.getSyncRequest());
      case SYNC_RESPONSE -> receiveSync(n, d.from, f.getSyncResponse());
      case TX_FETCH -> serveTxFetch(n, d.from, f.getTxFetch());
      case TX_ANNOUNCE -> {
        List<Runnable> after = new ArrayList<>();
        n.intake.onTxAnnounce(
            SimNode.peerId(d.from),
            f.getTxAnnounce().getTxHashesList(),
            localNanos(n),
            sink(n, after));
        after.forEach(Runnable::run);
      }
      case TX_FETCHED -> receiveTxFetched(n, d.from, f.getTxFetched());
      default -> {}
    }
  }

  private void receiveGossip(SimNode n, int from, Gossip g) {
    List<Runnable> after = new ArrayList<>();
    GossipRouter.Outcome outcome =
        n.router.receive(
            g,
            localNanos(n),
            gg ->
                n.intake.onGossip(
                    SimNode.peerId(from), gg.getBody(), localNanos(n), sink(n, after)));
    Gossip relayed = outcome.relay();
    if (n.mode == ByzantineMode.CUTS_FLOODS && outcome.fate() == GossipRouter.Fate.ACCEPTED) {
      relayed = g.toBuilder().setTtl(1).build(); // its copies arrive first and go no further
    }
    if (relayed != null) {
      relayedMessages++;
      PeerFrame relay = PeerFrame.newBuilder().setGossip(relayed).build();
      for (int to : n.neighbours) {
        if (to != from) {
          send(n.instance, to, relay);
        }
      }
    }
    // The node queues what it took and its consensus thread takes it after p2p relayed it.
    after.forEach(Runnable::run);
  }

  /**
   * The simulator's side of the node's {@link GossipIntake}: what the node's driver queues runs in
   * {@code after}, once p2p has relayed.
   */
  private GossipIntake.Sink sink(SimNode n, List<Runnable> after) {
    return new GossipIntake.Sink() {
      @Override
      public boolean consensus(ConsensusMessage m) {
        after.add(() -> run(n, () -> n.replica.onConsensus(m, localNanos(n))));
        return true;
      }

      @Override
      public boolean txs(List<Transaction> txs, int bytes) {
        after.add(
            () ->
                run(
                    n,
                    () -> {
                      n.intake.admitted(
                          ConsensusReplica.admitFromPeer(n.admission, txs), sink(n, after));
                      n.replica.step(localNanos(n));
                    }));
        return true;
      }

      @Override
      public void fetch(List<ByteString> txHashes) {
        fetches++;
        PeerFrame f =
            PeerFrame.newBuilder()
                .setTxFetch(TxFetch.newBuilder().addAllTxHashes(txHashes))
                .build();
        for (int to : n.neighbours) {
          send(n.instance, to, f);
        }
      }

      @Override
      public void passOn(GossipBody body) {
        after.add(
            () -> {
              if (n.up()) {
                flood(n, body);
              }
            });
      }

      @Override
      public Collection<ByteString> neighbours() {
        List<ByteString> ids = new ArrayList<>(n.neighbours.size());
        for (int to : n.neighbours) {
          ids.add(SimNode.peerId(to));
        }
        return ids;
      }

      @Override
      public void announce(ByteString neighbour, List<ByteString> txHashes) {
        if (!n.up()) {
          return;
        }
        List<ByteString> named = new ArrayList<>(txHashes);
        if (!n.honest()) {
          named.add(ByteString.copyFrom(Byzantine.junkHash(rng))); // names what it never sends
        }
        send(
            n.instance,
            SimNode.instanceOf(neighbour),
            PeerFrame.newBuilder()
                .setTxAnnounce(TxAnnounce.newBuilder().addAllTxHashes(named))
                .build());
      }

      @Override
      public void request(ByteString neighbour, List<ByteString> txHashes) {
        if (!n.up()) {
          return;
        }
        send(
            n.instance,
            SimNode.instanceOf(neighbour),
            PeerFrame.newBuilder()
                .setTxFetch(TxFetch.newBuilder().addAllTxHashes(txHashes).setRelay(true))
                .build());
      }
    };
  }

  private void serveTxFetch(SimNode n, int from, TxFetch fetch) {
    if (n.mode == ByzantineMode.TAMPERED_BODY || n.mode == ByzantineMode.LYING_HEIGHT) {
      return; // withholds what it named
    }
    List<Transaction> txs = n.intake.onTxFetch(SimNode.peerId(from), fetch.getTxHashesList());
    if (fetch.getRelay()) {
      txBodiesRelayed += txs.size();
    }
    send(
        n.instance,
        from,
        PeerFrame.newBuilder().setTxFetched(TxFetched.newBuilder().addAllTxs(txs)).build());
  }

  private void receiveTxFetched(SimNode n, int from, TxFetched fetched) {
    List<Runnable> after = new ArrayList<>();
    n.intake.onTxsFetched(
        SimNode.peerId(from), fetched.getTxsList(), localNanos(n), sink(n, after));
    after.forEach(Runnable::run);
  }

  private void serveSync(SimNode n, int from, SyncRequest request) {
    if (request.getFromHeight() < 1 || request.getMaxBlocks() < 1) {
      return;
    }
    BlockSource source =
        new BlockSource() {
          @Override
          public long height() {
            return n.replica.height();
          }

          @Override
          public List<CommittedBlock> blocks(long fromHeight, int maxBlocks, long maxBytes) {
            return n.replica.blocks(fromHeight, maxBlocks, maxBytes);
          }
        };
    SyncResponse honest =
        SyncState.answer(
            source, request.getFromHeight(), request.getMaxBlocks(), WireLimits.FRAME_BYTES_MAX);
    SyncResponse r = n.honest() ? honest : Byzantine.answer(n, honest);
    if (r != null) {
      syncMessages++;
      send(n.instance, from, PeerFrame.newBuilder().setSyncResponse(r).build());
    }
  }

  private void receiveSync(SimNode n, int from, SyncResponse response) {
    List<CommittedBlock> blocks = response.getBlocksList();
    if (n.sync.accept(SimNode.peerId(from), blocks, response.getSerializedSize(), localNanos(n))) {
      // As the node's p2p handler: checked first, a bad batch costs the sender sync score.
      if (n.replica.checkSynced(blocks) != null) {
        n.sync.refused(SimNode.peerId(from), localNanos(n));
      } else {
        run(n, () -> n.replica.onSynced(blocks, localNanos(n)));
      }
    }
    if (n.up()) {
      requestSync(n);
    }
  }

  /** Transactions are counted apart, so messages per block measure consensus alone. */
  private void send(int from, int to, Object frame) {
    if (frame instanceof PeerFrame f && f.hasGossip()) {
      GossipBody body = f.getGossip().getBody();
      if (body.hasCompactProposal()) {
        compactProposalsSent++;
      } else if (body.hasConsensus() && body.getConsensus().hasProposal()) {
        fullProposalsSent++;
      }
    }
    if (frame instanceof PeerFrame f
        && ((f.hasGossip() && f.getGossip().getBody().hasTxs())
            || f.hasTxAnnounce()
            || f.hasTxFetched()
            || (f.hasTxFetch() && f.getTxFetch().getRelay()))) {
      txGossipMessages++;
    } else {
      sentMessages++;
    }
    if (faultsActive) {
      if (partition != null && partition[from] != partition[to]) {
        return;
      }
      if (rng.nextDouble() < config.dropProbability()) {
        return;
      }
      if (rng.nextDouble() < config.duplicateProbability()) {
        schedule(now + delay(), new Deliver(from, to, frame));
      }
    }
    schedule(now + delay(), new Deliver(from, to, frame));
  }

  private long delay() {
    return config.delayMsMin() == config.delayMsMax()
        ? config.delayMsMin()
        : rng.nextLong(config.delayMsMin(), config.delayMsMax() + 1);
  }
}
