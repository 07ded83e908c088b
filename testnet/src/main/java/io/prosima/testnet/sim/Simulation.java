package io.prosima.testnet.sim;

import com.google.protobuf.ByteString;
import io.prosima.consensus.bft.Action;
import io.prosima.consensus.bft.BftConfig;
import io.prosima.consensus.bft.BftCore;
import io.prosima.consensus.bft.Event;
import io.prosima.consensus.bft.ProposerSchedule;
import io.prosima.consensus.bft.SignedVoteRecord;
import io.prosima.genesis.ValidatorSet;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.BlockHeader;
import io.prosima.proto.v1.CommitCertificate;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.ConsensusMessage;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.Validator;
import io.prosima.proto.wire.Ed25519Keys;
import io.prosima.proto.wire.MerkleTree;
import io.prosima.proto.wire.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * N validators in one thread over a simulated network and clock, driven by one seed. Every source
 * of nondeterminism (delays, drops, duplicates, partitions, crash points, skew) comes from one
 * {@link SplittableRandom}, and events at equal times run in scheduling order, so a seed replays
 * exactly. Simulated clients (their own generator, split from the seed) submit signed transactions
 * to random honest nodes that are up; the node keeps them in a volatile mempool, passes them once
 * to its audience over the faulty network, and proposers include them.
 */
public final class Simulation {
  static final String CHAIN_ID = "prosima-sim";

  /** Simulated genesis time; block times are this plus simulated milliseconds. */
  static final long GENESIS_TIME_MS = 1_700_000_000_000L;

  /** A node re-sends a catch-up block to one peer at most this often. */
  static final long SYNC_RESEND_MS = 50;

  /**
   * A crash waits this long for an action list that signs something, to interrupt it, before it
   * happens between events.
   */
  static final long CRASH_POINT_WAIT_MS = 300;

  /**
   * Each node re-sends its own signed messages of its current height this often: the paper assumes
   * gossip eventually delivers every message, which a lossy network only gives with retransmission.
   * Also what lets a lagging node be noticed and helped to catch up.
   */
  static final long GOSSIP_INTERVAL_MS = 200;

  static final int SIM_EVENTS_MAX = 5_000_000;

  /** A client submits the next transaction 1 to this many ms after the last (mean about 10). */
  static final long TX_SUBMIT_INTERVAL_MS_MAX = 20;

  /** A node's mempool holds at most this many transactions; more are dropped on arrival. */
  static final int MEMPOOL_TXS_MAX = 5_000;

  /** Timeouts for simulated links of 1–20 ms. */
  static BftConfig bftConfig() {
    return new BftConfig(CHAIN_ID, 100, 20, 50, 20, 50, 20, 5_000);
  }

  private sealed interface SimEvent {}

  private record Deliver(int from, int to, Object payload) implements SimEvent {}

  private record Timer(int node, int incarnation, Event.TimeoutFired timeout) implements SimEvent {}

  private record Ready(int node, int incarnation, long height, int round) implements SimEvent {}

  private record Gossip(int node, int incarnation) implements SimEvent {}

  private record Crash(int node, long downMs) implements SimEvent {}

  private record ForceCrash(int node) implements SimEvent {}

  private record Restart(int node) implements SimEvent {}

  private record PartitionStart(int[] group) implements SimEvent {}

  private record PartitionEnd() implements SimEvent {}

  private record FaultsEnd() implements SimEvent {}

  private record Submit() implements SimEvent {}

  private record Scheduled(long timeMs, long seq, SimEvent event) {}

  private final SimConfig config;
  private final SplittableRandom rng;
  private final SplittableRandom clientRng;
  private final SimClients clients = new SimClients(CHAIN_ID);
  private final TxCache txCache = new TxCache();
  private final ValidatorSet validators;
  private final ProposerSchedule schedule;
  private final BftConfig bft = bftConfig();
  private final List<SimNode> nodes = new ArrayList<>();
  private final Map<ByteString, Integer> validatorIndex = new HashMap<>();
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
  private long gossipMessages;
  private long sentMessages;
  private long txGossipMessages;
  private long crashes;
  private long crashesAfterPersistBeforeSend;
  private long maxRound;

  public Simulation(SimConfig config) {
    this.config = config;
    this.rng = new SplittableRandom(config.seed());
    this.clientRng = rng.split();
    Genesis.Builder g = Genesis.newBuilder().setChainId(CHAIN_ID);
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < config.weights().length; i++) {
      // Keys depend on the index only, so a seed's failure replays with the same keys.
      byte[] sk = Sha256.hash(("sim-validator-" + i).getBytes(StandardCharsets.UTF_8));
      keys.add(sk);
      ByteString pk = ByteString.copyFrom(Ed25519Keys.publicKey(sk));
      validatorIndex.put(pk, i);
      g.addValidators(
          Validator.newBuilder()
              .setName("validator-" + i)
              .setPublicKey(pk)
              .setVotingWeight(config.weights()[i]));
    }
    this.validators = new ValidatorSet(g.build());
    this.schedule = new ProposerSchedule(validators.weights());
    this.checkers =
        new Checkers(config, CHAIN_ID, validators, schedule, clients.signers(), txCache);
    for (int i = 0; i < config.weights().length; i++) {
      int twins = config.isByzantine(i) ? 2 : 1;
      for (int t = 0; t < twins; t++) {
        double skew =
            1 + (config.clockSkewMax() == 0 ? 0 : rng.nextDouble(-1, 1) * config.clockSkewMax());
        byte[] sk = keys.get(i);
        nodes.add(
            new SimNode(
                nodes.size(),
                i,
                sk,
                ByteString.copyFrom(Ed25519Keys.publicKey(sk)),
                !config.isByzantine(i),
                t,
                skew));
      }
    }
    wireAudiences();
  }

  /** Honest nodes and EQUIVOCATING_PROPOSER twins talk to all; DOUBLE_VOTER twins to one half. */
  private void wireAudiences() {
    List<Integer> honest = new ArrayList<>();
    for (SimNode n : nodes) {
      if (n.honest) {
        honest.add(n.instance);
      }
    }
    for (SimNode n : nodes) {
      for (SimNode m : nodes) {
        if (m == n) {
          continue;
        }
        boolean split = !n.honest && config.byzantine()[n.validator] == ByzantineMode.DOUBLE_VOTER;
        if (split && m.honest && honest.indexOf(m.instance) % 2 != n.twinTag) {
          continue;
        }
        n.audience.add(m.instance);
      }
    }
  }

  /** Runs to completion; throws {@link SimulationFailure} when a checker fails. */
  public SimResult run() {
    scheduleFaults();
    scheduleSubmit();
    for (SimNode n : nodes) {
      restart(n);
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
      if (n.honest) {
        checkers.checkDurable(n);
      }
    }
    if (!done()) {
      StringBuilder heights = new StringBuilder();
      for (SimNode n : nodes) {
        heights.append(n.instance).append(':').append(n.height());
        heights.append(n.up() ? "/r" + n.core.round() : "/down").append(' ');
      }
      checkers.fail(
          "liveness: honest nodes did not reach their heights by "
              + endMs
              + " ms (heights "
              + heights
              + ")");
    }
    long minHeight = Long.MAX_VALUE;
    for (SimNode n : nodes) {
      if (n.honest) {
        minHeight = Math.min(minHeight, n.height());
      }
    }
    return new SimResult(
        config.seed(),
        minHeight,
        now,
        allCommittedMs,
        consensusMessages,
        syncMessages,
        gossipMessages,
        sentMessages,
        checkers.evidence,
        crashes,
        crashesAfterPersistBeforeSend,
        maxRound,
        checkers.txsSubmitted(),
        checkers.txsCommitted,
        checkers.txsAcknowledged(),
        txGossipMessages);
  }

  private boolean done() {
    if (faultsActive) {
      return false;
    }
    for (SimNode n : nodes) {
      if (n.honest
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

  private void scheduleSubmit() {
    schedule(now + clientRng.nextLong(1, TX_SUBMIT_INTERVAL_MS_MAX + 1), new Submit());
  }

  /** A client submits its next transaction to a random honest node that is up. */
  private void submit() {
    List<SimNode> up = new ArrayList<>();
    for (SimNode n : nodes) {
      if (n.honest && n.up()) {
        up.add(n);
      }
    }
    if (!up.isEmpty()) {
      SimNode n = up.get(clientRng.nextInt(up.size()));
      Transaction tx = clients.next(clientRng);
      checkers.onSubmit(tx, n.instance);
      receiveTx(n, tx, true);
    }
    scheduleSubmit();
  }

  /** Into the mempool unless known; a node passes on what clients submit to it, once. */
  private void receiveTx(SimNode n, Transaction tx, boolean fromClient) {
    ByteString hash = txCache.hash(tx);
    if (n.chainTxs.containsKey(hash)
        || n.mempool.containsKey(hash)
        || n.mempool.size() >= MEMPOOL_TXS_MAX) {
      return;
    }
    n.mempool.put(hash, tx);
    if (fromClient) {
      for (int to : n.audience) {
        send(n.instance, to, tx);
      }
    }
  }

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
      if (n.honest) {
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
        process(n, n.core.onEvent(t.timeout));
      }
    } else if (e instanceof Ready r) {
      SimNode n = nodes.get(r.node);
      if (n.up() && n.incarnation == r.incarnation) {
        process(
            n, n.core.onEvent(new Event.BlockReady(r.height, r.round, buildBlock(n, r.height))));
      }
    } else if (e instanceof Gossip g) {
      SimNode n = nodes.get(g.node);
      if (n.up() && n.incarnation == g.incarnation) {
        gossip(n);
      }
    } else if (e instanceof Crash c) {
      SimNode n = nodes.get(c.node);
      if (n.up()) {
        // Crash inside the node's next action list, so that a crash can fall between the
        // persist of a vote and its broadcast; ForceCrash covers a node with nothing to do.
        n.crashPending = true;
        n.downMs = c.downMs;
        schedule(now + CRASH_POINT_WAIT_MS, new ForceCrash(c.node));
      }
    } else if (e instanceof ForceCrash c) {
      SimNode n = nodes.get(c.node);
      if (n.crashPending && faultsActive) {
        crash(n);
      }
    } else if (e instanceof Restart r) {
      SimNode n = nodes.get(r.node);
      if (!n.up()) {
        restart(n);
      }
    } else if (e instanceof PartitionStart p) {
      partition = p.group;
    } else if (e instanceof PartitionEnd) {
      partition = null;
    } else if (e instanceof Submit) {
      submit();
    } else if (e instanceof FaultsEnd) {
      faultsActive = false;
      partition = null;
      livenessBaseline = new long[nodes.size()];
      for (SimNode n : nodes) {
        n.crashPending = false; // no crash once faults end
        if (!n.up()) {
          restart(n);
        }
        livenessBaseline[n.instance] = n.height();
      }
    }
  }

  private void crash(SimNode n) {
    // Down for downMs from the actual crash; FaultsEnd restarts whoever is still down.
    schedule(Math.min(config.faultsEndMs(), now + n.downMs), new Restart(n.instance));
    n.core = null;
    n.mempool.clear();
    n.crashPending = false;
    n.incarnation++;
    n.lastSyncSent.clear();
    crashes++;
  }

  private void restart(SimNode n) {
    if (config.sabotage() == Sabotage.DROP_ACKED_TX_ON_RESTART) {
      dropAcknowledgedTx(n);
    }
    n.reindex(txCache);
    checkers.checkDurable(n);
    if (config.sabotage() == Sabotage.FORGET_VOTE_RECORD) {
      n.record = SignedVoteRecord.EMPTY;
    }
    ChainValidator valid =
        new ChainValidator(
            CHAIN_ID,
            n.chain,
            n.chainTxs,
            validators.weights(),
            clients.signers(),
            txCache,
            config.sabotage() != Sabotage.REPEAT_COMMITTED_TX);
    n.core = new BftCore(bft, validators, n.privateKey, valid, n.height() + 1, n.record);
    process(n, n.core.onEvent(new Event.Start()));
    if (n.up()) {
      scheduleGossip(n);
    }
  }

  /** Sabotage: removes the first acknowledged transaction from the chain, header untouched. */
  private void dropAcknowledgedTx(SimNode n) {
    for (int i = 0; i < n.chain.size(); i++) {
      CommittedBlock cb = n.chain.get(i);
      for (int t = 0; t < cb.getBlock().getTxsCount(); t++) {
        if (checkers.isAcknowledged(txCache.hash(cb.getBlock().getTxs(t)))) {
          Block.Builder b = cb.getBlock().toBuilder().removeTxs(t);
          n.chain.set(i, cb.toBuilder().setBlock(b).build());
          return;
        }
      }
    }
  }

  private void scheduleGossip(SimNode n) {
    long delayMs = Math.max(1, Math.round(GOSSIP_INTERVAL_MS * n.clockRate));
    schedule(now + delayMs, new Gossip(n.instance, n.incarnation));
  }

  private void gossip(SimNode n) {
    long h = n.core.height();
    var r = n.record;
    List<ConsensusMessage> own = new ArrayList<>();
    if (r.lastProposal() != null && r.lastProposal().getHeight() == h) {
      own.add(ConsensusMessage.newBuilder().setProposal(r.lastProposal()).build());
    }
    if (r.lastPrevote() != null && r.lastPrevote().getHeight() == h) {
      own.add(ConsensusMessage.newBuilder().setVote(r.lastPrevote()).build());
    }
    if (r.lastPrecommit() != null && r.lastPrecommit().getHeight() == h) {
      own.add(ConsensusMessage.newBuilder().setVote(r.lastPrecommit()).build());
    }
    for (ConsensusMessage m : own) {
      gossipMessages++;
      for (int to : n.audience) {
        send(n.instance, to, m);
      }
    }
    scheduleGossip(n);
  }

  private void deliver(Deliver d) {
    SimNode n = nodes.get(d.to);
    if (!n.up()) {
      return;
    }
    if (d.payload instanceof Transaction tx) {
      receiveTx(n, tx, false);
      return;
    }
    if (d.payload instanceof CommittedBlock cb) {
      if (cb.getBlock().getHeader().getHeight() == n.core.height()) {
        process(n, n.core.onEvent(new Event.CommitReceived(cb.getBlock(), cb.getCommit())));
      }
      return;
    }
    ConsensusMessage m = (ConsensusMessage) d.payload;
    long h = m.hasProposal() ? m.getProposal().getHeight() : m.getVote().getHeight();
    if (h >= 1 && h <= n.height()) {
      helpCatchUp(n, d.from, h);
    }
    Event e =
        m.hasProposal()
            ? new Event.ProposalReceived(m.getProposal())
            : new Event.VoteReceived(m.getVote());
    process(n, n.core.onEvent(e));
  }

  /** Block sync stand-in: a peer still working on a height we committed gets that block. */
  private void helpCatchUp(SimNode n, int peer, long height) {
    long[] last = n.lastSyncSent.get(peer);
    if (last != null && last[0] == height && now - last[1] < SYNC_RESEND_MS) {
      return;
    }
    n.lastSyncSent.put(peer, new long[] {height, now});
    syncMessages++;
    send(n.instance, peer, n.chain.get((int) height - 1));
  }

  /** Transactions are counted apart, so messages per block measure consensus alone. */
  private void send(int from, int to, Object payload) {
    if (payload instanceof Transaction) {
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
        schedule(now + delay(), new Deliver(from, to, payload));
      }
    }
    schedule(now + delay(), new Deliver(from, to, payload));
  }

  private long delay() {
    return config.delayMsMin() == config.delayMsMax()
        ? config.delayMsMin()
        : rng.nextLong(config.delayMsMin(), config.delayMsMax() + 1);
  }

  /**
   * Carries out a core's actions in order; a pending crash interrupts the list at a random point.
   */
  private void process(SimNode n, List<Action> actions) {
    int crashAt = n.crashPending ? crashPoint(actions) : -1;
    long committed = -1;
    for (int i = 0; i < actions.size(); i++) {
      if (i == crashAt) {
        if (i > 0 && actions.get(i - 1) instanceof Action.PersistVote) {
          crashesAfterPersistBeforeSend++;
        }
        crash(n);
        return;
      }
      Action a = actions.get(i);
      if (a instanceof Action.PersistVote p) {
        n.record = p.record();
      } else if (a instanceof Action.Broadcast b) {
        consensusMessages++;
        for (int to : n.audience) {
          send(n.instance, to, b.message());
        }
      } else if (a instanceof Action.ScheduleTimeout t) {
        maxRound = Math.max(maxRound, t.round());
        long delayMs = Math.max(1, Math.round(t.delayMs() * n.clockRate));
        schedule(
            now + delayMs,
            new Timer(
                n.instance,
                n.incarnation,
                new Event.TimeoutFired(t.height(), t.round(), t.step())));
      } else if (a instanceof Action.RequestProposal r) {
        schedule(now, new Ready(n.instance, n.incarnation, r.height(), r.round()));
      } else if (a instanceof Action.Commit c) {
        checkers.onCommit(n, c.height(), c.block(), c.certificate());
        n.append(
            CommittedBlock.newBuilder().setBlock(c.block()).setCommit(c.certificate()).build(),
            txCache);
        committed = c.height();
        noteAllCommitted();
      } else if (a instanceof Action.EvidenceFound ev) {
        checkers.onEvidence(n, ev.evidence(), validatorIndex);
      }
    }
    if (crashAt == actions.size()) {
      crash(n);
      return;
    }
    if (committed > 0) {
      process(n, n.core.onEvent(new Event.NewHeight(committed + 1)));
    }
  }

  /**
   * Where a pending crash interrupts this list, or -1: only lists that sign something are
   * interrupted, half the time right after a persisted vote and before its broadcast (the window
   * the WAL exists for), otherwise anywhere in the list.
   */
  private int crashPoint(List<Action> actions) {
    List<Integer> afterPersist = new ArrayList<>();
    for (int i = 0; i < actions.size(); i++) {
      if (actions.get(i) instanceof Action.PersistVote) {
        afterPersist.add(i + 1);
      }
    }
    if (afterPersist.isEmpty()) {
      return -1; // wait for a list that signs, or for ForceCrash
    }
    if (rng.nextBoolean()) {
      return afterPersist.get(rng.nextInt(afterPersist.size()));
    }
    return rng.nextInt(actions.size() + 1);
  }

  private void noteAllCommitted() {
    if (allCommittedMs >= 0) {
      return;
    }
    for (SimNode m : nodes) {
      if (m.honest && m.height() < config.targetHeights()) {
        return;
      }
    }
    allCommittedMs = now;
  }

  private Block buildBlock(SimNode n, long height) {
    CommittedBlock parent = n.chain.isEmpty() ? null : n.chain.get(n.chain.size() - 1);
    long parentTime = parent == null ? 0 : parent.getBlock().getHeader().getTimeMs();
    BlockHeader.Builder h =
        BlockHeader.newBuilder()
            .setChainId(CHAIN_ID)
            .setHeight(height)
            // The second twin's blocks differ from the first's by one millisecond.
            .setTimeMs(Math.max(parentTime + 1, GENESIS_TIME_MS + now) + n.twinTag)
            .setPreviousHash(ChainValidator.previousHash(n.chain))
            .setStateHash(ByteString.copyFrom(new byte[32]))
            .setProposer(n.publicKey);
    if (parent != null) {
      h.setLastCommit(parent.getCommit());
    } else {
      h.setLastCommit(CommitCertificate.getDefaultInstance());
    }
    List<Transaction> txs = pickTxs(n, height);
    List<byte[]> hashes = new ArrayList<>(txs.size());
    for (Transaction tx : txs) {
      hashes.add(txCache.hash(tx).toByteArray());
    }
    h.setTxRoot(ByteString.copyFrom(MerkleTree.root(hashes))).setTxCount(txs.size());
    return Block.newBuilder().setHeader(h).addAllTxs(txs).build();
  }

  /** Pending transactions in mempool order, up to the block limit (and the sabotages' extras). */
  private List<Transaction> pickTxs(SimNode n, long height) {
    List<Transaction> txs = new ArrayList<>();
    boolean sabotaging = n.honest && n.validator == 0;
    if (sabotaging && config.sabotage() == Sabotage.INJECT_UNSUBMITTED_TX) {
      txs.add(clients.forge(height));
    }
    if (sabotaging && config.sabotage() == Sabotage.REPEAT_COMMITTED_TX) {
      for (CommittedBlock cb : n.chain) {
        if (cb.getBlock().getTxsCount() > 0) {
          txs.add(cb.getBlock().getTxs(0));
          break;
        }
      }
    }
    for (Map.Entry<ByteString, Transaction> e : n.mempool.entrySet()) {
      if (txs.size() >= ChainValidator.BLOCK_TXS_MAX) {
        break;
      }
      if (!n.chainTxs.containsKey(e.getKey())) {
        txs.add(e.getValue());
      }
    }
    return txs;
  }
}
