package io.prosima.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.node.LedgerNode;
import io.prosima.node.NodeConfig;
import io.prosima.node.TestChains;
import io.prosima.storage.StorageException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeCommandTest {
  @TempDir Path dir;

  private LedgerNode startNode() throws Exception {
    TestChains.create(dir, 1);
    return LedgerNode.start(
        NodeConfig.defaults(dir.resolve("validator-0")).withGrpcListen("127.0.0.1:0"));
  }

  @Test
  void aNodeThatStopsOnAFatalErrorExitsWithTheFatalCodeSoASupervisorRestartsIt() throws Exception {
    LedgerNode node = startNode();
    node.fail(new StorageException("injected: disk full"));
    assertEquals(NodeCommand.Start.EXIT_FATAL, NodeCommand.Start.waitForStop(node));
    node.close();
  }

  @Test
  void aNodeStoppedFromOutsideExitsNormally() throws Exception {
    LedgerNode node = startNode();
    node.close();
    assertEquals(0, NodeCommand.Start.waitForStop(node));
  }

  @Test
  void anUnknownConfigKeyIsOneLineAndNothingStarts() throws Exception {
    TestChains.create(dir, 1);
    Path home = dir.resolve("validator-0");
    Files.writeString(home.resolve("node.toml"), "mempoolTxs = 5\n");
    CliRun r = CliRun.of("node", "start", "--home", home.toString());
    assertEquals(1, r.code());
    assertEquals(
        "error: node config: unknown key 'mempoolTxs' in "
            + home.resolve("node.toml")
            + " (prosima node example-config lists every key)\n",
        r.err());
    assertFalse(Files.exists(home.resolve(LedgerNode.DATA_DIR)), "nothing may start");
  }

  @Test
  void aBadSetValueIsRefusedNamingTheKey() throws Exception {
    TestChains.create(dir, 1);
    CliRun r =
        CliRun.of(
            "node",
            "start",
            "--home",
            dir.resolve("validator-0").toString(),
            "--set",
            "commitWaitMs=-1");
    assertEquals(1, r.code());
    assertTrue(
        r.err().startsWith("error: node config: commitWaitMs from command line must be"), r.err());
  }

  @Test
  void anAddressInUseIsOneLineNamingTheAddressAndTheConfigKey() throws Exception {
    TestChains.create(dir, 1);
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      String address = "127.0.0.1:" + taken.getLocalPort();
      CliRun r =
          CliRun.of(
              "node",
              "start",
              "--home",
              dir.resolve("validator-0").toString(),
              "--grpc-listen",
              address);
      assertEquals(1, r.code());
      assertEquals(
          "error: cannot listen on " + address + " (grpcListen): Address already in use\n",
          r.err());
      assertFalse(
          Files.exists(dir.resolve("validator-0").resolve(LedgerNode.DATA_DIR)),
          "refused before the database is made");
    }
  }

  @Test
  void anAddressThatIsNotThisMachinesIsOneLineNamingTheConfigKey() throws Exception {
    TestChains.create(dir, 1);
    // 192.0.2.0/24 is reserved for documentation (RFC 5737): never an address of this machine.
    CliRun r =
        CliRun.of(
            "node",
            "start",
            "--home",
            dir.resolve("validator-0").toString(),
            "--set",
            "grpcListen=192.0.2.1:0");
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("error: cannot listen on 192.0.2.1:0 (grpcListen): "), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertFalse(Files.exists(dir.resolve("validator-0").resolve(LedgerNode.DATA_DIR)));
  }

  @Test
  void metricsOnANonLoopbackAddressNeedToBeAllowedExplicitly() throws Exception {
    TestChains.create(dir, 1);
    CliRun r =
        CliRun.of(
            "node",
            "start",
            "--home",
            dir.resolve("validator-0").toString(),
            "--grpc-listen",
            "127.0.0.1:0",
            "--metrics-listen",
            "0.0.0.0:0");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("metricsNonLoopbackAllowed = true"), r.err());
  }

  @Test
  void metricsOnAnyAddressServeWhenAllowed() throws Exception {
    TestChains.create(dir, 1);
    NodeConfig.Builder b = NodeConfig.builder(dir.resolve("validator-0"));
    b.grpcListen = "127.0.0.1:0";
    b.metricsListen = "0.0.0.0:0";
    b.metricsNonLoopbackAllowed = true;
    LedgerNode node = LedgerNode.start(b.build());
    try {
      assertTrue(node.metricsPort() > 0);
    } finally {
      node.close();
    }
  }

  @Test
  void theExampleConfigPrintedByTheCommandIsAFileTheNodeAccepts() throws Exception {
    CliRun r = CliRun.of("node", "example-config");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("# p2pListen = \"\""), r.out());
    Path home = dir.resolve("home");
    Files.createDirectories(home);
    Files.writeString(home.resolve("node.toml"), r.out());
    assertEquals(
        NodeConfig.defaults(home),
        io.prosima.node.config.NodeSettings.load(home, null, java.util.Map.of(), java.util.Map.of())
            .config());
  }
}
