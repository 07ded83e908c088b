package io.prosima.node.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.prosima.genesis.ChainLayout;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.node.LedgerNode;
import io.prosima.node.NodeConfig;
import io.prosima.node.TestChains;
import io.prosima.node.client.NodeClient;
import io.prosima.proto.v1.NodeBackupRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `node backup` asks a running node over gRPC with the home's own key (no other key may), reads a
 * stopped node's database directly, and `node restore` puts either file into a new home once.
 */
class NodeBackupCommandTest {
  @TempDir Path dir;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void aRunningNodeIsBackedUpOverGrpcOnlyForItsOwnKeyAndTheFileRestoresOnce() throws Exception {
    GenesisBuilder.Result chain = TestChains.create(dir.resolve("chain"), 1);
    Path home = ChainLayout.nodeHome(dir.resolve("chain"), chain.validatorKeys().get(0));
    Path running = dir.resolve("running.zip");
    try (LedgerNode node = LedgerNode.start(NodeConfig.defaults(home))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> node.core().store().height() >= 1);

      CliRun r = run("node", "backup", "--home", home.toString(), "--out", running.toString());
      assertEquals(0, r.code(), r.err());
      assertTrue(Files.isRegularFile(running));
      try (Stream<Path> left = Files.list(home.resolve(LedgerNode.BACKUPS_DIR))) {
        assertEquals(0, left.count(), "the node's file was moved to --out");
      }

      try (NodeClient hospital =
          new NodeClient(
              "127.0.0.1:" + node.grpcPort(), chain.clientKeys().get(0), chain.genesis())) {
        StatusRuntimeException e =
            assertThrows(
                StatusRuntimeException.class,
                () -> hospital.admin().backup(NodeBackupRequest.getDefaultInstance()));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
      }
    }

    Path stopped = dir.resolve("stopped.zip");
    CliRun r = run("node", "backup", "--home", home.toString(), "--out", stopped.toString());
    assertEquals(0, r.code(), r.err());

    for (Path file : new Path[] {running, stopped}) {
      Path fresh = dir.resolve("fresh-" + file.getFileName());
      Files.createDirectories(fresh);
      Files.copy(home.resolve(ChainLayout.GENESIS_FILE), fresh.resolve(ChainLayout.GENESIS_FILE));
      CliRun ok = run("node", "restore", "--file", file.toString(), "--home", fresh.toString());
      assertEquals(0, ok.code(), ok.err());
      CliRun again = run("node", "restore", "--file", file.toString(), "--home", fresh.toString());
      assertFalse(again.code() == 0);
      assertTrue(again.err().contains("already has a data/"), again.err());
      assertEquals(1, again.err().strip().lines().count(), "one line: " + again.err());
    }
  }
}
