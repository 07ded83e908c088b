package io.prosima.node.federation;

import com.google.protobuf.ByteString;
import io.prosima.imaging.federated.FedAvg;
import io.prosima.imaging.federated.LocalTraining;
import io.prosima.imaging.federated.SealedBlob;
import io.prosima.imaging.federated.UpdateCheck;
import io.prosima.imaging.federated.WeightsBlob;
import io.prosima.imaging.train.SliceDataset;
import io.prosima.node.image.Grantee;
import io.prosima.proto.v1.Metric;
import io.prosima.proto.v1.ModelAnchor;
import java.io.IOException;
import java.io.PrintStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The federated round protocol (issue 15; PROSIMA protocol 1) as run by one party:
 *
 * <ol>
 *   <li>{@link #start}: a participant anchors {@code model@g0} (G's weights blob hash, the round's
 *       rules in its metadata) and stores it sealed to every participant.
 *   <li>{@link #train}: each participant loads {@code model@gN} (lineage checked, hash checked),
 *       fine-tunes it on its own slices, stores its update sealed to every participant (any of them
 *       may have to stand in as aggregator), then anchors {@code model@uN.<key>} with parent {@code
 *       model@gN}, its sample count and local validation PSNR.
 *   <li>{@link #aggregate}: the round's aggregator ({@link RoundRules#aggregator}), or a stand-in
 *       once the takeover rule entitles it ({@link RoundRules#entitledAfter}), waits for every
 *       update or for the deadline with a quorum, fetches each anchored update, excludes those that
 *       fail {@link UpdateCheck} (hash vs anchor, shapes, NaN/Inf, norm) or came late, averages the
 *       rest with {@link FedAvg}, stores {@code gN+1} sealed to all and anchors it with every
 *       update as a parent and the inclusions and exclusions in its metadata.
 * </ol>
 */
public final class Federation {
  /** Default bound on ||update - global||_2 over G's weights; honest rounds move far less. */
  public static final double DELTA_NORM_MAX = 100;

  /** Poll interval of an aggregator waiting for updates. */
  static final long POLL_MS = 1_000;

  private final FederationChain chain;
  private final PrintStream log;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, long[]> shapes;

  public Federation(FederationChain chain, PrintStream log) throws IOException {
    this.chain = chain;
    this.log = log;
    this.shapes = LocalTraining.generatorShapes();
  }

  private ByteString me() {
    return chain.nodes().key().getEd25519PublicKey();
  }

  private SealedBlob.Recipient recipient(ByteString key) {
    Grantee g =
        Grantee.inGenesis(key, chain.nodes().genesis())
            .orElseThrow(() -> new IllegalArgumentException("participant is not a genesis client"));
    return new SealedBlob.Recipient(key.toByteArray(), g.encryptionKey().toByteArray());
  }

  private String name(ByteString key) {
    return Grantee.inGenesis(key, chain.nodes().genesis())
        .map(Grantee::name)
        .orElse(HexFormat.of().formatHex(key.toByteArray(), 0, 8));
  }

  /** Anchors round 0's global model {@code model@g0} from {@code generator} (G's weights). */
  public String start(
      String model,
      List<ByteString> participants,
      int quorum,
      long deadlineBlocks,
      long takeoverBlocks,
      Map<String, float[]> generator,
      String origin) {
    RoundNames.checkModel(model);
    if (participants.isEmpty() || participants.size() > 15) {
      throw new IllegalArgumentException("give 1..15 participants");
    }
    if (quorum < 1 || quorum > participants.size() || deadlineBlocks < 1 || takeoverBlocks < 1) {
      throw new IllegalArgumentException(
          "quorum must be 1..participants, deadline and takeover period positive");
    }
    if (new java.util.HashSet<>(participants).size() != participants.size()) {
      throw new IllegalArgumentException("a participant is named twice");
    }
    if (!participants.contains(me())) {
      throw new IllegalArgumentException("the identity starting a federation must take part");
    }
    byte[] blob = WeightsBlob.encode(generator, shapes);
    String version = RoundNames.global(0);
    putSealed(model, version, blob, participants);
    ModelAnchor anchor =
        ModelAnchor.newBuilder()
            .setModelId(model)
            .setVersion(version)
            .setWeightsSha256(ByteString.copyFrom(WeightsBlob.sha256(blob)))
            .setTrainingMetadata(
                RoundMetadata.text(
                    "kind",
                    "global",
                    "round",
                    "0",
                    "participants",
                    RoundMetadata.hexList(participants),
                    "quorum",
                    Integer.toString(quorum),
                    "deadline_blocks",
                    Long.toString(deadlineBlocks),
                    "takeover_blocks",
                    Long.toString(takeoverBlocks),
                    "origin",
                    origin))
            .build();
    long height = chain.submit(anchor);
    log.printf("anchored %s at height %d%n", RoundNames.ref(model, version), height);
    return RoundNames.ref(model, version);
  }

  private void putSealed(String model, String version, byte[] blob, List<ByteString> to) {
    List<SealedBlob.Recipient> rs = new ArrayList<>();
    to.forEach(k -> rs.add(recipient(k)));
    String id = RoundNames.blobId(model, version);
    byte[] sealed = SealedBlob.seal(blob, chain.nodes().chainId(), id, rs, random);
    int stored = chain.put(id, sealed);
    log.printf(
        "stored %s sealed for %d (%d bytes) on %d validators%n",
        id, rs.size(), sealed.length, stored);
  }

  /** A global model this party may run: lineage checked, bytes hashing to the anchor. */
  public record Global(
      String ref,
      Lineage.Anchored anchored,
      RoundMetadata metadata,
      Map<String, float[]> weights) {}

  /**
   * Loads {@code model@gN}: the lineage must check ({@link Lineage}) and the fetched weights must
   * open for this identity and hash to the anchored value; otherwise it is refused.
   */
  public Global loadGlobal(String model, long round) {
    String ref = RoundNames.ref(model, RoundNames.global(round));
    Lineage.Result lineage = Lineage.walk(ref, chain);
    if (!lineage.ok()) {
      throw new IllegalStateException("refusing " + ref + ": lineage: " + lineage.problem());
    }
    Lineage.Anchored a = lineage.nodes().get(0).anchored();
    RoundMetadata meta = RoundMetadata.parse(a.anchor().getTrainingMetadata());
    if (!meta.kind().equals("global") || meta.round() != round) {
      throw new IllegalStateException(
          "refusing " + ref + ": not the global model of round " + round);
    }
    byte[] expected = a.anchor().getWeightsSha256().toByteArray();
    String id = RoundNames.blobId(model, RoundNames.global(round));
    Map<String, float[]> weights =
        chain
            .get(id, s -> openChecked(s, id, expected))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no validator holds weights of "
                            + ref
                            + " that open for us and hash to the anchor"));
    return new Global(ref, a, meta, weights);
  }

  private Optional<Map<String, float[]>> openChecked(byte[] sealed, String id, byte[] expected) {
    try {
      byte[] blob =
          SealedBlob.open(
              sealed,
              chain.nodes().chainId(),
              id,
              me().toByteArray(),
              chain.nodes().key().getX25519PrivateKey().toByteArray());
      if (!MessageDigest.isEqual(WeightsBlob.sha256(blob), expected)) {
        return Optional.empty();
      }
      return Optional.of(WeightsBlob.decode(blob, shapes));
    } catch (SealedBlob.CannotOpenException | WeightsBlob.BadBlobException e) {
      return Optional.empty();
    }
  }

  /**
   * This participant's update for round {@code round}: fine-tune the global G on {@code data}, seal
   * the result to every participant and store it, then anchor it. {@code tamper} is for the
   * robustness test only (a hospital that stores other bytes than it anchors, or NaNs).
   */
  public String train(
      String model,
      long round,
      SliceDataset data,
      Map<String, float[]> encoder,
      LocalTraining.Settings settings,
      Tamper tamper)
      throws IOException {
    Global g = loadGlobal(model, round);
    List<ByteString> participants = g.metadata().participants();
    if (!participants.contains(me())) {
      throw new IllegalStateException("this identity is not a participant of " + g.ref());
    }
    log.printf(
        "round %d: fine-tuning %s for %d steps on %d slices%n",
        round, g.ref(), settings.steps(), data.train().size());
    LocalTraining.Result r =
        LocalTraining.fineTune(
            encoder, g.weights(), data, settings, (int) (round * settings.steps()), log);
    byte[] blob = WeightsBlob.encode(r.generator(), shapes);
    byte[] anchored = WeightsBlob.sha256(blob);
    if (tamper == Tamper.NAN) {
      Map<String, float[]> bad = new java.util.LinkedHashMap<>(r.generator());
      String first = bad.keySet().iterator().next();
      float[] v = bad.get(first).clone();
      v[0] = Float.NaN;
      bad.put(first, v);
      blob = WeightsBlob.encode(bad, shapes);
      anchored = WeightsBlob.sha256(blob);
    } else if (tamper == Tamper.SWAP) {
      blob = WeightsBlob.encode(g.weights(), shapes); // stores other bytes than it anchors
    }
    String version = RoundNames.update(round, me());
    ByteString aggregator = RoundRules.aggregator(participants, round);
    // Sealed to the whole rotation, not only to the round's aggregator: any participant may have to
    // stand in for it (RoundRules.rotation), and it must be able to open the update then. Each
    // extra recipient costs SealedBlob.ENTRY_BYTES (113) per stored copy; the blob is sealed once.
    // Durability order: the sealed weights are stored before the anchor that points at them.
    putSealed(model, version, blob, RoundRules.rotation(participants, round));
    ModelAnchor anchor =
        ModelAnchor.newBuilder()
            .setModelId(model)
            .setVersion(version)
            .setWeightsSha256(ByteString.copyFrom(anchored))
            .addParents(g.ref())
            .setTrainingMetadata(
                RoundMetadata.text(
                    "kind",
                    "update",
                    "round",
                    Long.toString(round),
                    "samples",
                    Long.toString(r.samples()),
                    "steps",
                    Integer.toString(settings.steps()),
                    String.format(Locale.ROOT, "local_validation_psnr_db"),
                    String.format(Locale.ROOT, "%.3f", r.validationPsnrDb())))
            .addMetrics(Metric.newBuilder().setName("samples").setValue(r.samples()))
            .addMetrics(
                Metric.newBuilder()
                    .setName("local_validation_psnr_db")
                    .setValue(Double.isFinite(r.validationPsnrDb()) ? r.validationPsnrDb() : 0))
            .build();
    long height = chain.submit(anchor);
    log.printf(
        Locale.ROOT,
        "anchored %s at height %d (samples %d, local validation %.2f dB); aggregator %s%n",
        RoundNames.ref(model, version),
        height,
        r.samples(),
        r.validationPsnrDb(),
        name(aggregator));
    return RoundNames.ref(model, version);
  }

  /** Misbehaviour of a participant, for the robustness tests. */
  public enum Tamper {
    NONE,
    /** Stores weights other than those it anchors. */
    SWAP,
    /** Anchors and stores an update holding a NaN. */
    NAN
  }

  /** What an aggregation did. */
  public record Aggregation(String ref, List<String> included, List<String> excluded) {}

  /**
   * Aggregates round {@code round} when this identity may ({@link RoundRules#rotation}: the round's
   * aggregator at once, a stand-in at takeover step k only after {@link RoundRules#entitledAfter}):
   * waits up to {@code waitMs} for its turn and for the round to close ({@link RoundRules#decide}),
   * then anchors {@code model@g(round+1)}. Refuses when another participant anchored it first.
   */
  public Aggregation aggregate(String model, long round, long waitMs, double deltaNormMax)
      throws InterruptedException {
    Global g = loadGlobal(model, round);
    RoundMetadata.Rules rules = g.metadata().rules();
    List<ByteString> participants = rules.participants();
    int step = RoundRules.takeoverStep(participants, round, me());
    if (step < 0) {
      throw new IllegalStateException("this identity is not a participant of " + g.ref());
    }
    long entitledAfter =
        RoundRules.entitledAfter(
            g.anchored().height(), rules.deadlineBlocks(), rules.takeoverBlocks(), step);
    int quorum = (int) rules.quorum();
    long deadlineBlocks = rules.deadlineBlocks();
    long deadline = g.anchored().height() + deadlineBlocks;
    String nextRef = RoundNames.ref(model, RoundNames.global(round + 1));
    long until = System.currentTimeMillis() + waitMs;
    RoundRules.Decision d;
    while (true) {
      refuseIfAggregated(nextRef, round);
      long height = chain.height();
      // The anchor commits above the height seen now, so from entitledAfter on it is in time.
      boolean myTurn = height >= entitledAfter;
      int onTime = 0;
      for (ByteString p : participants) {
        Optional<Lineage.Anchored> u =
            chain.anchor(RoundNames.ref(model, RoundNames.update(round, p)));
        if (u.isPresent() && u.get().height() <= deadline) {
          onTime++;
        }
      }
      d = RoundRules.decide(onTime, participants.size(), quorum, height, deadline);
      log.printf(
          "round %d: %d of %d updates anchored by height %d (deadline %d, quorum %d): %s%s%n",
          round,
          onTime,
          participants.size(),
          height,
          deadline,
          quorum,
          d,
          myTurn ? "" : "; " + notYourTurn(round, participants, step, entitledAfter));
      if (myTurn && d != RoundRules.Decision.WAIT) {
        break;
      }
      if (System.currentTimeMillis() > until) {
        if (!myTurn) {
          throw new IllegalStateException(notYourTurn(round, participants, step, entitledAfter));
        }
        break;
      }
      Thread.sleep(POLL_MS);
    }
    if (d != RoundRules.Decision.CLOSE) {
      throw new IllegalStateException(
          "round " + round + " cannot close: " + d + " (no quorum of updates by its deadline)");
    }
    List<UpdateCheck.Accepted> accepted = new ArrayList<>();
    List<String> included = new ArrayList<>();
    List<String> excluded = new ArrayList<>();
    List<String> parents = new ArrayList<>();
    long samplesTotal = 0;
    for (ByteString p : participants) {
      String version = RoundNames.update(round, p);
      String ref = RoundNames.ref(model, version);
      String who = name(p);
      Optional<Lineage.Anchored> u = chain.anchor(ref);
      if (u.isEmpty()) {
        excluded.add(who + ":missing");
        continue;
      }
      parents.add(ref);
      UpdateCheck.Verdict v = check(model, round, g, p, version, u.get(), deadline, deltaNormMax);
      if (v instanceof UpdateCheck.Accepted a) {
        accepted.add(a);
        included.add(who);
        samplesTotal += a.samples();
      } else {
        excluded.add(who + ":" + ((UpdateCheck.Excluded) v).reason());
      }
      log.printf(
          "round %d: %s %s%n",
          round,
          ref,
          v instanceof UpdateCheck.Accepted
              ? "accepted"
              : "excluded: " + ((UpdateCheck.Excluded) v).reason());
    }
    if (accepted.size() < quorum) {
      throw new IllegalStateException(
          "round "
              + round
              + ": only "
              + accepted.size()
              + " updates pass the checks, below the quorum of "
              + quorum
              + "; excluded "
              + excluded);
    }
    Map<String, float[]> next = FedAvg.average(accepted);
    byte[] blob = WeightsBlob.encode(next, shapes);
    String version = RoundNames.global(round + 1);
    // Another stand-in may have won while this one fetched and averaged: do not store in vain.
    refuseIfAggregated(nextRef, round);
    putSealed(model, version, blob, participants);
    ModelAnchor anchor =
        ModelAnchor.newBuilder()
            .setModelId(model)
            .setVersion(version)
            .setWeightsSha256(ByteString.copyFrom(WeightsBlob.sha256(blob)))
            .addAllParents(parents)
            .setTrainingMetadata(
                RoundMetadata.text(
                    "kind",
                    "global",
                    "round",
                    Long.toString(round + 1),
                    "participants",
                    RoundMetadata.hexList(participants),
                    "quorum",
                    Integer.toString(quorum),
                    "deadline_blocks",
                    Long.toString(deadlineBlocks),
                    "takeover_blocks",
                    Long.toString(rules.takeoverBlocks()),
                    "previous",
                    g.ref(),
                    "aggregator",
                    name(me()),
                    "aggregator_key",
                    HexFormat.of().formatHex(me().toByteArray()),
                    "takeover",
                    Integer.toString(step),
                    "entitled_after",
                    Long.toString(entitledAfter),
                    "included",
                    String.join(",", included),
                    "excluded",
                    String.join(",", excluded),
                    "samples_total",
                    Long.toString(samplesTotal)))
            .addMetrics(Metric.newBuilder().setName("updates_included").setValue(included.size()))
            .addMetrics(Metric.newBuilder().setName("updates_excluded").setValue(excluded.size()))
            .addMetrics(Metric.newBuilder().setName("samples_total").setValue(samplesTotal))
            .build();
    long height = chain.submit(anchor);
    String ref = RoundNames.ref(model, version);
    log.printf(
        "anchored %s at height %d: included %s, excluded %s%n", ref, height, included, excluded);
    return new Aggregation(ref, included, excluded);
  }

  private String notYourTurn(
      long round, List<ByteString> participants, int step, long entitledAfter) {
    return "not your turn until height "
        + (entitledAfter == Long.MAX_VALUE ? "never" : Long.toString(entitledAfter + 1))
        + ": round "
        + round
        + " is aggregated by "
        + name(RoundRules.aggregator(participants, round))
        + "; this identity stands in at takeover step "
        + step
        + " if no global is anchored by then";
  }

  /**
   * The ledger anchors one {@code model@gN+1} (a second anchor of a version is refused), so the
   * first committed global of a round is the round's, whoever of the entitled anchored it. One
   * anchored out of turn still takes the name but fails every lineage check: say so, the round is
   * stuck rather than done.
   */
  private void refuseIfAggregated(String nextRef, long round) {
    Optional<Lineage.Anchored> done = chain.anchor(nextRef);
    if (done.isEmpty()) {
      return;
    }
    String who = name(done.get().signer());
    String problem = AggregatorCheck.problem(nextRef, done.get(), chain);
    if (problem != null) {
      throw new IllegalStateException(
          "round "
              + round
              + " is blocked: "
              + nextRef
              + " was anchored at height "
              + done.get().height()
              + " by "
              + who
              + " and fails the lineage check ("
              + problem
              + "); the ledger keeps the first anchor of a version");
    }
    throw new IllegalStateException(
        "round "
            + round
            + " is already aggregated: "
            + nextRef
            + " was anchored at height "
            + done.get().height()
            + " by "
            + who);
  }

  private UpdateCheck.Verdict check(
      String model,
      long round,
      Global g,
      ByteString participant,
      String version,
      Lineage.Anchored u,
      long deadline,
      double deltaNormMax) {
    String who = name(participant);
    ModelAnchor a = u.anchor();
    Optional<ByteString> owner = chain.owner(RoundNames.ref(model, version));
    if (owner.isEmpty() || !owner.get().equals(participant)) {
      return new UpdateCheck.Excluded(who, "not_anchored_by_participant");
    }
    if (u.height() > deadline) {
      return new UpdateCheck.Excluded(who, "late");
    }
    if (!a.getParentsList().equals(List.of(g.ref()))) {
      return new UpdateCheck.Excluded(who, "wrong_parent");
    }
    long samples;
    try {
      RoundMetadata m = RoundMetadata.parse(a.getTrainingMetadata());
      if (!m.kind().equals("update") || m.round() != round) {
        return new UpdateCheck.Excluded(who, "bad_metadata");
      }
      samples = m.number("samples");
    } catch (IllegalArgumentException e) {
      return new UpdateCheck.Excluded(who, "bad_metadata");
    }
    String id = RoundNames.blobId(model, version);
    byte[] blob = chain.get(id, s -> openFor(s, id)).orElse(null);
    return UpdateCheck.check(
        new UpdateCheck.Candidate(who, a.getWeightsSha256().toByteArray(), samples, blob),
        g.weights(),
        shapes,
        deltaNormMax);
  }

  private Optional<byte[]> openFor(byte[] sealed, String id) {
    try {
      return Optional.of(
          SealedBlob.open(
              sealed,
              chain.nodes().chainId(),
              id,
              me().toByteArray(),
              chain.nodes().key().getX25519PrivateKey().toByteArray()));
    } catch (SealedBlob.CannotOpenException e) {
      return Optional.empty();
    }
  }
}
