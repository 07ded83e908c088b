package io.prosima.testnet.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.imaging.federated.LocalTraining;
import io.prosima.imaging.model.ModelExport;
import io.prosima.imaging.model.SavedModelWeights;
import io.prosima.imaging.model.ShippedModels;
import io.prosima.imaging.train.SliceDataset;
import io.prosima.node.federation.Federation;
import io.prosima.node.federation.FederationChain;
import io.prosima.node.federation.Lineage;
import io.prosima.node.federation.RoundMetadata;
import io.prosima.node.federation.RoundRules;
import io.prosima.node.image.ChainNodes;
import io.prosima.testnet.demo.DemoData;
import io.prosima.testnet.launch.LocalTestnet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 4 on real processes: four validators; four hospitals run two federated rounds of G
 * (a few steps on three small slices each). Round 0 is honest; in round 1 one hospital stores other
 * weights than it anchors and another anchors NaNs: the aggregator excludes both and says so in
 * g2's metadata. The auditor then walks g2's lineage back to g0 through GetModel/GetTx.
 */
class FederatedRoundsTestnetTest {
  static final int VALIDATORS = 4;
  static final int HOSPITALS = 3;
  static final String MODEL = "fedg-test";

  /** Per hospital: two training slices and one validation slice (indices 120-149 held out). */
  static final int[][] SLICES = {{60, 70, 125}, {100, 110, 130}, {170, 180, 135}};

  @TempDir Path dir;

  private LocalTestnet net;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    if (net != null) {
      net.stopAll();
    }
  }

  @Test
  void twoRoundsAnchorEveryUpdateExcludeBadOnesAndLeaveALineageTheAuditorWalks() throws Exception {
    Path data = DemoData.find().orElseThrow().resolve("mri/human-t1-axial");
    net =
        LocalTestnet.create(
            dir.resolve("net"), VALIDATORS, 2, LocalTestnet.freeBasePort(VALIDATORS), HOSPITALS);
    net.startAll();
    net.awaitReady(Duration.ofSeconds(120));

    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    Map<ByteString, Federation> hospitals = new HashMap<>();
    Map<ByteString, SliceDataset> local = new HashMap<>();
    List<ByteString> keys = new ArrayList<>();
    for (int h = 0; h < HOSPITALS; h++) {
      Federation f = federation("hospital-" + h, log);
      ByteString key = net.clientKey("hospital-" + h).getEd25519PublicKey();
      keys.add(key);
      hospitals.put(key, f);
      local.put(key, SliceDataset.load(localData(data, h)));
    }
    Map<String, float[]> encoder =
        SavedModelWeights.read(ShippedModels.defaultDir().resolve(ModelExport.ENCODER_DIR), "e/");
    Map<String, float[]> g0 =
        SavedModelWeights.read(
            ShippedModels.defaultDir().resolve(ModelExport.GENERATOR_DIR), LocalTraining.PREFIX);

    hospitals.get(keys.get(0)).start(MODEL, keys, 1, 600, 600, g0, "shipped G");
    for (int round = 0; round < 2; round++) {
      ByteString aggregator = RoundRules.aggregator(keys, round);
      List<ByteString> others = new ArrayList<>(keys);
      others.remove(aggregator);
      for (ByteString k : keys) {
        Federation.Tamper tamper = Federation.Tamper.NONE;
        if (round == 1 && k.equals(others.get(0))) {
          tamper = Federation.Tamper.SWAP;
        } else if (round == 1 && k.equals(others.get(1))) {
          tamper = Federation.Tamper.NAN;
        }
        hospitals
            .get(k)
            .train(
                MODEL,
                round,
                local.get(k),
                encoder,
                new LocalTraining.Settings(1, 2, 64, 1e-4, 7 + round, 2),
                tamper);
      }
      Federation.Aggregation a = hospitals.get(aggregator).aggregate(MODEL, round, 60_000, 100);
      if (round == 0) {
        assertEquals(HOSPITALS, a.included().size(), buffer.toString(StandardCharsets.UTF_8));
      } else {
        assertEquals(1, a.included().size(), buffer.toString(StandardCharsets.UTF_8));
        assertEquals(2, a.excluded().size());
      }
    }

    // The auditor: reads anchors with their proofs, cannot open the sealed weights.
    ChainNodes auditorNodes = new ChainNodes(net.genesis(), net.clientKey("auditor-0"));
    open.add(auditorNodes);
    FederationChain auditor =
        new FederationChain(auditorNodes, auditorNodes.client(validatorKey(0)));
    Lineage.Result lineage = Lineage.walk(MODEL + "@g2", auditor);
    assertTrue(lineage.ok(), lineage.problem());
    // g2, its 3 updates, g1, its 3 updates, g0.
    assertEquals(9, lineage.nodes().size());
    RoundMetadata g2 = RoundMetadata.parse(lineage.nodes().get(0).anchor().getTrainingMetadata());
    String excluded = g2.get("excluded");
    assertTrue(excluded.contains(":hash_mismatch"), excluded);
    assertTrue(excluded.contains(":non_finite"), excluded);
    assertEquals(HOSPITALS, lineage.nodes().get(0).anchor().getParentsCount());

    // A participant loads g2 (lineage and hash checked); the auditor is not a recipient.
    Federation.Global loaded = hospitals.get(keys.get(0)).loadGlobal(MODEL, 2);
    assertEquals(LocalTraining.generatorShapes().keySet(), loaded.weights().keySet());
    Federation auditorParty = new Federation(auditor, log);
    assertThrows(IllegalStateException.class, () -> auditorParty.loadGlobal(MODEL, 2));
  }

  private ByteString validatorKey(int i) {
    return net.genesis().getValidators(i).getPublicKey();
  }

  private Federation federation(String client, PrintStream log) throws Exception {
    ChainNodes nodes = new ChainNodes(net.genesis(), net.clientKey(client));
    open.add(nodes);
    return new Federation(new FederationChain(nodes, nodes.client(validatorKey(0))), log);
  }

  /** A hospital's own folder: a manifest and copies of its slices. */
  private Path localData(Path data, int h) throws Exception {
    Path d = dir.resolve("hospital-" + h);
    Files.createDirectories(d);
    StringBuilder manifest =
        new StringBuilder("file,source_volume,axis,index,foreground_fraction\n");
    for (int index : SLICES[h]) {
      String file = String.format("ch2better_ax_%03d.png", index);
      Files.copy(data.resolve(file), d.resolve(file));
      manifest.append(file).append(",ch2better.nii.gz,2,").append(index).append(",0.5\n");
    }
    Files.writeString(d.resolve("manifest.csv"), manifest);
    return d;
  }
}
