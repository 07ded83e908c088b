package io.prosima.testnet.launch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.node.bench.AnchorTxFactory;
import io.prosima.node.client.NodeClient;
import io.prosima.proto.v1.StatusRequest;
import io.prosima.proto.v1.SubmitRequest;
import io.prosima.proto.v1.SubmitResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real multi-process testnet: start, readiness, a committed transaction, SIGKILL and restart. The
 * validator count is -Dprosima.launch.validators (default 1, the fastest; TestnetKillAndCatchUpTest
 * covers four).
 */
class LaunchLocalTestnetTest {
  static final int VALIDATORS = Integer.getInteger("prosima.launch.validators", 1);
  static final Duration READY = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void startSubmitKillRestart() throws Exception {
    LocalTestnet net =
        LocalTestnet.create(
            dir.resolve("net"),
            VALIDATORS,
            Math.min(2, VALIDATORS),
            LocalTestnet.freeBasePort(VALIDATORS));
    try {
      net.startAll();
      net.awaitReady(READY);
      List<NodeStatus> before = net.status();
      assertEquals(VALIDATORS, before.size());
      for (NodeStatus s : before) {
        assertTrue(s.alive() && s.up() && s.pid() > 0, s.toString());
        assertTrue(s.height() >= 0, s.toString());
        assertTrue(Files.exists(s.log()), s.toString());
      }

      // One transaction through validator 0, committed; every validator's height grows.
      long start = before.get(0).height();
      AnchorTxFactory txs = new AnchorTxFactory(net.genesis().getChainId());
      try (NodeClient c = net.client(0, "hospital-0")) {
        SubmitResponse r =
            c.submit()
                .withDeadlineAfter(60, TimeUnit.SECONDS)
                .submit(
                    SubmitRequest.newBuilder()
                        .setTx(
                            txs.anchorTx(
                                net.clientKey("hospital-0"), 1, start + 1000, "launch-test-img"))
                        .setWaitForCommit(true)
                        .build());
        assertTrue(r.getAccepted() && r.getCommitted(), r.toString());
      }
      await("every validator past height " + start)
          .atMost(Duration.ofSeconds(60))
          .until(() -> net.status().stream().allMatch(s -> s.height() > start));
      long committed = net.status().get(0).height();

      // SIGKILL validator 0: it shows as down, its pid file is gone.
      long oldPid = net.status().get(0).pid();
      net.kill(0);
      NodeStatus down = net.status().get(0);
      assertFalse(down.alive(), down.toString());
      assertEquals("down", down.tip());
      assertEquals(-1, down.height());
      assertTrue(ProcessHandle.of(oldPid).map(p -> !p.isAlive()).orElse(true));
      assertTrue(net.running(0).isEmpty());

      // Restart: ready again, no committed height lost.
      net.start(0);
      net.awaitReady(READY);
      NodeStatus again = net.status().get(0);
      assertTrue(again.up(), again.toString());
      assertTrue(again.height() >= committed, again + " lost heights below " + committed);
      try (NodeClient c = net.client(0)) {
        assertTrue(
            c.query().getStatus(StatusRequest.getDefaultInstance()).getHeight() >= committed);
      }

      // Another LocalTestnet on the same directory (as `prosima testnet down`) finds the nodes.
      LocalTestnet reopened = LocalTestnet.open(net.dir());
      assertTrue(reopened.running(0).isPresent());
      reopened.stopAll();
      assertTrue(net.status().stream().noneMatch(NodeStatus::alive));
    } finally {
      net.stopAll();
    }
  }

  @Test
  void createRefusesNonEmptyDirWithoutGenesis() throws Exception {
    Files.writeString(dir.resolve("something.txt"), "not a chain");
    LaunchException e =
        assertThrows(LaunchException.class, () -> LocalTestnet.create(dir, 1, 1, 26600));
    assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("genesis.json")));
  }

  @Test
  void createReusesAMatchingChainAndRefusesAnotherShape() {
    int base = LocalTestnet.freeBasePort(3);
    LocalTestnet first = LocalTestnet.create(dir.resolve("net"), 1, 1, base);
    LocalTestnet again = LocalTestnet.create(dir.resolve("net"), 1, 1, base);
    assertEquals(first.genesis(), again.genesis());
    assertEquals(base, LocalTestnet.open(dir.resolve("net")).basePort());
    assertEquals("127.0.0.1:" + (base + 2), again.metricsEndpoint(0));
    assertEquals(List.of("hospital-0", "hospital-1", "auditor-0", "admin-0"), again.clientNames());
    LaunchException e =
        assertThrows(
            LaunchException.class, () -> LocalTestnet.create(dir.resolve("net"), 3, 1, base));
    assertTrue(e.getMessage().contains("already holds a chain of 1 validators"), e.getMessage());
  }

  @Test
  void aPidFileNamingAnotherProcessIsNeverSignalled() throws Exception {
    LocalTestnet net = LocalTestnet.create(dir.resolve("net"), 1, 1, LocalTestnet.freeBasePort(1));
    // Our own (test) JVM is a live java process, but not validator-0's node.
    Files.writeString(
        net.home(0).resolve(LocalTestnet.PID_FILE), ProcessHandle.current().pid() + "\n");
    assertTrue(net.running(0).isEmpty());
    net.kill(0); // must not kill us
    net.stop(0);
    assertTrue(ProcessHandle.current().isAlive());
    assertFalse(Files.exists(net.home(0).resolve(LocalTestnet.PID_FILE)));
  }

  @Test
  void aNodeThatDiesAtStartIsReportedWithItsLog() throws Exception {
    LocalTestnet net = LocalTestnet.create(dir.resolve("net"), 1, 1, LocalTestnet.freeBasePort(1));
    Files.writeString(net.home(0).resolve("genesis.json"), "{ not a genesis");
    try {
      net.start(0);
      LaunchException e =
          assertThrows(LaunchException.class, () -> net.awaitReady(Duration.ofSeconds(60)));
      assertTrue(
          e.getMessage().startsWith("validator-0 exited before it was ready"), e.getMessage());
      assertTrue(e.getMessage().contains(net.log(0).toString()), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    } finally {
      net.stopAll();
    }
  }
}
