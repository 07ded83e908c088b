package io.prosima.testnet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prosima.imaging.io.PngImages;
import io.prosima.node.client.NodeClient;
import io.prosima.node.image.ChainNodes;
import io.prosima.node.image.ImageHistory;
import io.prosima.node.image.ImageRetrieval;
import io.prosima.proto.v1.ListTxsBySignerRequest;
import io.prosima.proto.v1.Payload;
import io.prosima.testnet.demo.DemoData;
import io.prosima.testnet.launch.LocalTestnet;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes: a validator testnet and a `prosima image ingest DIR` client process that is
 * SIGKILLed while images are in flight. No anchor may point at fragments that are not stored (every
 * image anchored so far retrieves bit-exact), and re-running the same command finishes the
 * directory, after which the grantee retrieves every image.
 */
class ClientKilledMidIngestTest {
  static final int IMAGES = 10;

  @TempDir Path dir;

  @Test
  void aClientKilledMidIngestLeavesNoAnchorWithoutFragmentsAndTheRerunFinishes() throws Exception {
    Path data = DemoData.find().orElse(null);
    assumeTrue(data != null, "shared data not found");
    Path in = Files.createDirectories(dir.resolve("in"));
    List<Path> sources = new ArrayList<>();
    try (var s = Files.list(data.resolve("mri/human-t1-axial"))) {
      s.filter(p -> p.toString().endsWith(".png"))
          .sorted()
          .limit(IMAGES)
          .forEach(p -> sources.add(p));
    }
    for (Path p : sources) {
      Files.copy(p, in.resolve(p.getFileName()));
    }
    LocalTestnet net = LocalTestnet.create(dir.resolve("tn"), 4, 2, LocalTestnet.freeBasePort(4));
    ExecutorService calls = Executors.newFixedThreadPool(8);
    try (ChainNodes auditor = new ChainNodes(net.genesis(), net.clientKey("auditor-0"));
        ChainNodes owner = new ChainNodes(net.genesis(), net.clientKey("hospital-0"));
        ChainNodes grantee = new ChainNodes(net.genesis(), net.clientKey("hospital-1"))) {
      net.startAll();
      net.awaitReady(Duration.ofSeconds(120));
      List<String> command = ingestCommand(net, in);

      Process first =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("first.log").toFile())
              .start();
      NodeClient auditorVia = auditor.client(net.genesis().getValidators(2).getPublicKey());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (anchored(auditorVia, net).size() < 2
          && first.isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(
          first.isAlive(), "the client finished before it could be killed: " + log("first.log"));
      first.destroyForcibly(); // SIGKILL
      first.waitFor(10, TimeUnit.SECONDS);
      List<String> partial = anchored(auditorVia, net);
      assertTrue(partial.size() < IMAGES, "killed mid-way: " + partial.size() + " anchored");

      // Every anchor so far points at fragments that are stored: the owner retrieves each.
      NodeClient ownerVia = owner.client(net.genesis().getValidators(0).getPublicKey());
      for (String id : partial) {
        ImageHistory h = ImageHistory.read(ownerVia, owner, id);
        new ImageRetrieval(owner, calls).retrieve(h, net.genesis().getValidators(0).getRegion());
      }

      Process again =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("again.log").toFile())
              .start();
      assertTrue(again.waitFor(300, TimeUnit.SECONDS), "rerun did not finish");
      assertEquals(0, again.exitValue(), log("again.log"));
      assertTrue(log("again.log").contains(IMAGES + " images"), log("again.log"));

      List<String> all = anchored(auditorVia, net);
      assertEquals(IMAGES, all.size());
      NodeClient granteeVia = grantee.client(net.genesis().getValidators(1).getPublicKey());
      List<Object> retrieved = new ArrayList<>();
      for (String id : all) {
        ImageHistory h = ImageHistory.read(granteeVia, grantee, id);
        retrieved.add(
            new ImageRetrieval(grantee, calls)
                .retrieve(h, net.genesis().getValidators(1).getRegion())
                .image());
      }
      // The ten sources, as images, are exactly what came back (in some order).
      List<Object> expected = new ArrayList<>();
      for (Path p : sources) {
        expected.add(PngImages.read(p));
      }
      assertTrue(retrieved.containsAll(expected) && expected.containsAll(retrieved));
    } finally {
      calls.shutdownNow();
      net.stopAll();
    }
  }

  private String log(String name) throws Exception {
    return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
  }

  private static List<String> anchored(NodeClient auditor, LocalTestnet net) {
    var txs =
        auditor
            .query()
            .listTxsBySigner(
                ListTxsBySignerRequest.newBuilder()
                    .setSigner(net.clientKey("hospital-0").getEd25519PublicKey())
                    .setLimit(1000)
                    .build());
    List<String> ids = new ArrayList<>();
    for (var t : txs.getTxsList()) {
      Payload p = t.getTx().getPayload();
      if (p.hasImageAnchor()) {
        ids.add(p.getImageAnchor().getImageId());
      }
    }
    return ids;
  }

  private static List<String> ingestCommand(LocalTestnet net, Path in) {
    String classPath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> !e.isEmpty())
            .map(e -> Path.of(e).toAbsolutePath().normalize().toString())
            .collect(Collectors.joining(File.pathSeparator));
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp",
        classPath,
        "io.prosima.testnet.ProsimaMain",
        "image",
        "ingest",
        in.toString(),
        "--genesis",
        net.dir().resolve("genesis.json").toString(),
        "--key",
        net.clientKeyFile("hospital-0").toString(),
        "--grant",
        net.clientKeyFile("hospital-1").toString(),
        "--parallel",
        "2");
  }
}
