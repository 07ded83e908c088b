package io.prosima.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.genesis.ChainLayout;
import io.prosima.genesis.GenesisFiles;
import io.prosima.genesis.KeyFiles;
import io.prosima.node.bench.AnchorTxFactory;
import io.prosima.node.cli.ProsimaCli;
import io.prosima.node.client.NodeClient;
import io.prosima.node.client.TxProofVerifier;
import io.prosima.node.config.NodeSettings;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.GetTxRequest;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.SubmitBatchRequest;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.TxResponse;
import io.prosima.proto.wire.BlockCodec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A chain made the way a consortium makes one (issue 17): four validator sites and a hospital each
 * run `keys generate` in their own folder, only the public cards are gathered, `genesis assemble`
 * builds the genesis, each validator site drops it next to its key and starts with `node start
 * --home SITE` (here LedgerNode.start with the settings node start reads from the same folder), and
 * the hospital's transaction, signed with the key that never left its folder, commits on all four.
 *
 * <p>The sites are not on 127.0.0.1: validator i advertises 127.0.0.(2+i), all with the same port
 * numbers, as four machines would. Validator 3 advertises its p2p endpoint by a DNS name
 * (localhost) and its node.toml makes it listen on every interface at that port: peers dial the
 * advertised name, and TLS checks the genesis key, not the host. Clients dial the genesis gRPC
 * addresses.
 */
class CrossSiteChainTest {
  @TempDir Path dir;

  private final LedgerNode[] nodes = new LedgerNode[4];

  private static String cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = ProsimaCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    assertEquals(0, code, String.join(" ", args) + ": " + err);
    return out.toString();
  }

  @Test
  void validatorsOnSeparateAddressesStartedFromSiteFoldersAndAnAssembledGenesisCommitATransaction()
      throws Exception {
    int base = TestChains.basePortBelowEphemeral();
    int p2pPort = base;
    int grpcPort = base + 1;
    int namedP2pPort = base + 2; // validator 3's: 0.0.0.0 would take p2pPort on every address
    List<Path> sites = new ArrayList<>();
    List<String> assemble =
        new ArrayList<>(
            List.of(
                "genesis",
                "assemble",
                "--chain-id",
                "cross-site",
                // One time chosen for the consortium (a minute ago, so blocks may follow it).
                "--genesis-time",
                Instant.now()
                    .minus(1, ChronoUnit.MINUTES)
                    .truncatedTo(ChronoUnit.SECONDS)
                    .toString(),
                "--topology-seed",
                "17",
                "--out",
                dir.resolve("consortium").resolve("genesis.json").toString()));
    for (int i = 0; i < 4; i++) {
      Path site = dir.resolve("hospital-" + i + "-validator");
      sites.add(site);
      cli(
          "keys",
          "generate",
          "--name",
          "node-" + i,
          "--role",
          "validator",
          "--region",
          i % 2 == 0 ? "north" : "south",
          "--p2p-address",
          i == 3 ? "localhost:" + namedP2pPort : "127.0.0." + (2 + i) + ":" + p2pPort,
          "--grpc-address",
          "127.0.0." + (2 + i) + ":" + grpcPort,
          "--out",
          site.toString());
      assemble.addAll(List.of("--member", site.resolve("node-" + i + ".public.json").toString()));
    }
    Path clinic = dir.resolve("clinic");
    cli("keys", "generate", "--name", "clinic", "--role", "hospital", "--out", clinic.toString());
    assemble.addAll(List.of("--member", clinic.resolve("clinic.public.json").toString()));

    cli(assemble.toArray(String[]::new));
    Path assembled = dir.resolve("consortium").resolve("genesis.json");
    String hash = cli("genesis", "hash", "--genesis", assembled.toString()).strip();
    for (Path site : sites) {
      Files.copy(assembled, site.resolve(ChainLayout.GENESIS_FILE));
      assertEquals(
          hash,
          cli("genesis", "hash", "--genesis", site.resolve(ChainLayout.GENESIS_FILE).toString())
              .strip());
    }
    Files.writeString(
        sites.get(3).resolve(NodeSettings.CONFIG_FILE),
        "p2pListen = \"0.0.0.0:" + namedP2pPort + "\"\n");
    Genesis genesis = GenesisFiles.read(assembled);
    KeyFile hospital = KeyFiles.read(clinic.resolve("clinic.key.json"));

    try {
      for (int i = 0; i < 4; i++) {
        nodes[i] =
            LedgerNode.start(NodeSettings.load(sites.get(i), null, Map.of(), Map.of()).config());
      }
      var tx = new AnchorTxFactory(genesis.getChainId()).anchorTx(hospital, 1, 1_000, "img-1");
      SubmitResponse r;
      try (NodeClient c = client(2, hospital, genesis)) {
        r =
            c.submit()
                .submitBatch(
                    SubmitBatchRequest.newBuilder().addTxs(tx).setWaitForCommit(true).build())
                .getResults(0);
      }
      assertTrue(r.getCommitted(), r.getCode() + " " + r.getMessage());
      await().atMost(Duration.ofSeconds(30)).until(() -> minHeight() >= r.getHeight());
      for (int i = 0; i < 4; i++) {
        try (NodeClient c = client(i, hospital, genesis)) {
          TxResponse got =
              c.query().getTx(GetTxRequest.newBuilder().setTxHash(r.getTxHash()).build());
          assertEquals(r.getHeight(), got.getHeight());
          assertNull(TxProofVerifier.check(got, genesis));
        }
        assertArrayEquals(blockId(0, r.getHeight()), blockId(i, r.getHeight()));
      }
      // Block 1 carries the genesis state hash: what `genesis hash` printed at every site.
      assertEquals(
          hash,
          HexFormat.of()
              .formatHex(
                  nodes[0]
                      .core()
                      .store()
                      .block(1)
                      .orElseThrow()
                      .getBlock()
                      .getHeader()
                      .getStateHash()
                      .toByteArray()));
    } finally {
      for (LedgerNode n : nodes) {
        if (n != null) {
          n.close();
        }
      }
    }
  }

  private NodeClient client(int node, KeyFile key, Genesis genesis) throws Exception {
    return new NodeClient(nodes[node].self().getGrpcAddress(), key, genesis);
  }

  private long minHeight() {
    long m = Long.MAX_VALUE;
    for (LedgerNode n : nodes) {
      m = Math.min(m, n.core().store().height());
    }
    return m;
  }

  private byte[] blockId(int i, long h) {
    return BlockCodec.blockId(
        nodes[i].core().store().block(h).orElseThrow().getBlock().getHeader());
  }
}
