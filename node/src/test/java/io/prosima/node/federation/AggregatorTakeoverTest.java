package io.prosima.node.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.genesis.ChainLayout;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.imaging.federated.LocalTraining;
import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.model.ModelExport;
import io.prosima.imaging.model.SavedModelWeights;
import io.prosima.imaging.model.ShippedModels;
import io.prosima.imaging.train.SliceDataset;
import io.prosima.node.LedgerNode;
import io.prosima.node.NodeConfig;
import io.prosima.node.TestChains;
import io.prosima.node.image.ChainNodes;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.ModelAnchor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, aggregator failover, on an in-process one-validator chain with three hospitals: round
 * 0's aggregator never shows up. The next participant in the rotation is refused before its
 * takeover height, aggregates after it (opening updates that were not sealed for it alone), and
 * records it in g1; the silent aggregator coming back late is refused (the ledger keeps the first
 * g1), and the auditor's lineage check accepts g1.
 *
 * <p>Heights are moved on by committing filler anchors, not by waiting; deadline and takeover
 * period are long enough (60 blocks, at least 60 s of empty blocks) that the few seconds of local
 * training cannot push an update past the deadline or a stand-in into its turn early.
 */
class AggregatorTakeoverTest {
  static final String MODEL = "fedg-takeover";
  static final long DEADLINE = 60;
  static final long TAKEOVER = 60;

  @TempDir Path dir;

  private GenesisBuilder.Result chain;
  private LedgerNode node;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final PrintStream log = new PrintStream(buffer, true, StandardCharsets.UTF_8);
  private int fillers;

  @BeforeEach
  void start() throws Exception {
    chain = TestChains.create(dir, 3);
    node =
        LedgerNode.start(
            NodeConfig.defaults(ChainLayout.nodeHome(dir, chain.validatorKeys().get(0))));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    node.close();
  }

  private KeyFile client(String name) {
    return chain.clientKeys().stream()
        .filter(k -> k.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private FederationChain chainOf(String client) {
    ChainNodes nodes = new ChainNodes(chain.genesis(), client(client));
    open.add(nodes);
    return new FederationChain(
        nodes, nodes.client(chain.genesis().getValidators(0).getPublicKey()));
  }

  /** Commits filler anchors until the chain is at {@code height} or above. */
  private void advanceTo(FederationChain via, long height) {
    while (via.height() < height) {
      via.submit(
          ModelAnchor.newBuilder()
              .setModelId("filler")
              .setVersion("f" + fillers++)
              .setWeightsSha256(ByteString.copyFrom(new byte[32]))
              .build());
    }
  }

  /** A smooth synthetic 256x256 slice (no shared data needed: one training step only). */
  private static SliceDataset.Slice slice(int index) {
    int n = SliceDataset.SLICE_PX;
    float[] px = new float[n * n];
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        double dx = (x - n / 2.0) / (n / 3.0);
        double dy = (y - n / 2.0 - index % 7) / (n / 4.0);
        px[y * n + x] = (float) Math.max(0, 1 - dx * dx - dy * dy);
      }
    }
    return new SliceDataset.Slice("s" + index + ".png", index, new GrayImage(n, n, px));
  }

  @Test
  void aStandInAggregatesAfterItsTakeoverHeightWhenTheRoundsAggregatorIsSilent() throws Exception {
    Map<ByteString, Federation> hospitals = new HashMap<>();
    Map<ByteString, String> names = new HashMap<>();
    List<ByteString> keys = new ArrayList<>();
    for (int h = 0; h < 3; h++) {
      String name = "hospital-" + h;
      ByteString key = client(name).getEd25519PublicKey();
      keys.add(key);
      names.put(key, name);
      hospitals.put(key, new Federation(chainOf(name), log));
    }
    List<ByteString> rotation = RoundRules.rotation(keys, 0);
    ByteString silent = rotation.get(0);
    ByteString standIn = rotation.get(1);
    ByteString last = rotation.get(2);
    FederationChain auditor = chainOf("auditor-0");

    Map<String, float[]> encoder =
        SavedModelWeights.read(ShippedModels.defaultDir().resolve(ModelExport.ENCODER_DIR), "e/");
    Map<String, float[]> g0 =
        SavedModelWeights.read(
            ShippedModels.defaultDir().resolve(ModelExport.GENERATOR_DIR), LocalTraining.PREFIX);
    hospitals.get(standIn).start(MODEL, keys, 2, DEADLINE, TAKEOVER, g0, "shipped G");
    SliceDataset data = SliceDataset.of(List.of(slice(60), slice(70)), List.of(slice(125)));
    for (ByteString k : List.of(standIn, last)) {
      hospitals
          .get(k)
          .train(
              MODEL,
              0,
              data,
              encoder,
              new LocalTraining.Settings(1, 1, 64, 1e-4, 7, 1),
              Federation.Tamper.NONE);
    }

    long g0Height = auditor.anchor(MODEL + "@g0").orElseThrow().height();
    long standInAfter = RoundRules.entitledAfter(g0Height, DEADLINE, TAKEOVER, 1);
    long lastAfter = RoundRules.entitledAfter(g0Height, DEADLINE, TAKEOVER, 2);
    assertEquals(g0Height + DEADLINE + TAKEOVER, standInAfter);

    // Before its takeover height the stand-in is told when its turn comes.
    IllegalStateException early =
        assertThrows(
            IllegalStateException.class, () -> hospitals.get(standIn).aggregate(MODEL, 0, 0, 100));
    assertTrue(
        early.getMessage().startsWith("not your turn until height " + (standInAfter + 1)),
        early.getMessage());

    advanceTo(chainOf(names.get(last)), standInAfter);
    // Step 2 is not entitled yet either.
    IllegalStateException tooSoon =
        assertThrows(
            IllegalStateException.class, () -> hospitals.get(last).aggregate(MODEL, 0, 0, 100));
    assertTrue(
        tooSoon.getMessage().startsWith("not your turn until height " + (lastAfter + 1)),
        tooSoon.getMessage());

    Federation.Aggregation a = hospitals.get(standIn).aggregate(MODEL, 0, 60_000, 100);
    String out = buffer.toString(StandardCharsets.UTF_8);
    assertEquals(
        List.of(names.get(standIn), names.get(last)).stream().sorted().toList(),
        a.included().stream().sorted().toList(),
        out);
    assertEquals(List.of(names.get(silent) + ":missing"), a.excluded(), out);

    // g1 says who aggregated and why, and the auditor's lineage check (proofs, takeover) accepts
    // it.
    Lineage.Result lineage = Lineage.walk(MODEL + "@g1", auditor);
    assertTrue(lineage.ok(), lineage.problem());
    Lineage.Anchored g1 = lineage.nodes().get(0).anchored();
    RoundMetadata meta = RoundMetadata.parse(g1.anchor().getTrainingMetadata());
    assertEquals("1", meta.get("takeover"));
    assertEquals(HexFormat.of().formatHex(standIn.toByteArray()), meta.get("aggregator_key"));
    assertEquals(Long.toString(standInAfter), meta.get("entitled_after"));
    assertEquals(standIn, g1.signer());
    assertTrue(g1.height() > standInAfter);

    // The silent aggregator comes back: refused, and the ledger refuses a second g1 outright.
    Federation late = hospitals.get(silent);
    IllegalStateException again =
        assertThrows(IllegalStateException.class, () -> late.aggregate(MODEL, 0, 0, 100));
    assertTrue(again.getMessage().contains("already aggregated"), again.getMessage());
    FederationChain silentChain = chainOf(names.get(silent));
    IllegalStateException second =
        assertThrows(
            IllegalStateException.class,
            () ->
                silentChain.submit(
                    g1.anchor().toBuilder()
                        .setWeightsSha256(ByteString.copyFrom(new byte[32]))
                        .build()));
    assertTrue(second.getMessage().contains("already anchored"), second.getMessage());
    assertEquals(standIn, auditor.owner(MODEL + "@g1").orElseThrow());

    // Round 1 goes on from the stand-in's g1: every participant opens it.
    assertEquals(
        LocalTraining.generatorShapes().keySet(),
        hospitals.get(last).loadGlobal(MODEL, 1).weights().keySet());

    // Known gap: a participant anchoring g2 out of turn takes the name (the ledger does not know
    // the rule). Nobody loads it, and round 1's aggregator is told the round is blocked, not done.
    ByteString outOfTurn = RoundRules.rotation(keys, 1).get(2);
    chainOf(names.get(outOfTurn))
        .submit(
            g1.anchor().toBuilder()
                .setVersion("g2")
                .clearParents()
                .addParents(MODEL + "@g1")
                .build());
    assertTrue(Lineage.walk(MODEL + "@g2", auditor).problem().contains("bad metadata"));
    ByteString roundOneAggregator = RoundRules.aggregator(keys, 1);
    IllegalStateException blocked =
        assertThrows(
            IllegalStateException.class,
            () -> hospitals.get(roundOneAggregator).aggregate(MODEL, 1, 0, 100));
    assertTrue(blocked.getMessage().startsWith("round 1 is blocked"), blocked.getMessage());
  }
}
