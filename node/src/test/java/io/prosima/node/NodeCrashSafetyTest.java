package io.prosima.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.genesis.ValidatorSet;
import io.prosima.node.bench.AnchorTxFactory;
import io.prosima.node.client.NodeClient;
import io.prosima.proto.v1.BlockResponse;
import io.prosima.proto.v1.GetBlockRequest;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.StatusRequest;
import io.prosima.proto.v1.SubmitBatchRequest;
import io.prosima.proto.v1.SubmitBatchResponse;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.TxCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node in a child JVM commits under load and is killed with SIGKILL at random moments, 20 times.
 * After every restart: the store opens, the chain links up with valid commit certificates, and
 * every transaction the node acknowledged as committed is there at the height it was reported.
 * Replay a failure with -Dprosima.crash.seed=SEED.
 */
class NodeCrashSafetyTest {
  static final int KILLS = 20;
  static final int LOAD_THREADS = 2;
  static final int BATCH_TXS = 25;

  @TempDir Path dir;

  @Test
  void acknowledgedCommitsSurviveTwentySigkills() throws Exception {
    long seed = Long.getLong("prosima.crash.seed", System.nanoTime());
    String replay = "replay with -Dprosima.crash.seed=" + seed;
    Random random = new Random(seed);
    GenesisBuilder.Result chain = TestChains.create(dir, LOAD_THREADS);
    String address = "127.0.0.1:" + TestChains.freePort();
    KeyFile auditor = chain.clientKeys().get(LOAD_THREADS);
    Map<ByteString, Long> acked = new ConcurrentHashMap<>();
    long[] nonces = new long[LOAD_THREADS];
    AnchorTxFactory factory = new AnchorTxFactory(chain.genesis().getChainId());

    for (int round = 0; round <= KILLS; round++) {
      long started = System.nanoTime();
      Process node = startNode(dir.resolve("validator-0"), address, round);
      awaitPortOpen(address, replay);
      try (NodeClient client = new NodeClient(address, auditor, chain.genesis())) {
        awaitReady(client, replay);
        long ready = System.nanoTime();
        checkChain(client, chain, acked, replay + ", round " + round);
        System.out.printf(
            "round %d: ready after %d ms, chain checked in %d ms, %d acked so far%n",
            round,
            (ready - started) / 1_000_000,
            (System.nanoTime() - ready) / 1_000_000,
            acked.size());
        if (round == KILLS) {
          assertTrue(acked.size() > 100, "too little load was acknowledged: " + acked.size());
          break;
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> load = new ArrayList<>();
        for (int t = 0; t < LOAD_THREADS; t++) {
          int thread = t;
          KeyFile key = chain.clientKeys().get(t);
          Thread th =
              new Thread(
                  () ->
                      runLoad(
                          address,
                          key,
                          chain,
                          factory,
                          nonces,
                          thread,
                          acked,
                          stop,
                          random.nextLong()));
          th.start();
          load.add(th);
        }
        Thread.sleep(300 + random.nextInt(1700));
        node.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flush.
        node.waitFor();
        stop.set(true);
        for (Thread th : load) {
          th.join(30_000);
        }
      } finally {
        node.destroyForcibly();
        node.waitFor();
      }
    }
  }

  private static void runLoad(
      String address,
      KeyFile key,
      GenesisBuilder.Result chain,
      AnchorTxFactory factory,
      long[] nonces,
      int thread,
      Map<ByteString, Long> acked,
      AtomicBoolean stop,
      long salt) {
    try (NodeClient client = new NodeClient(address, key, chain.genesis())) {
      while (!stop.get()) {
        long height = client.query().getStatus(StatusRequest.getDefaultInstance()).getHeight();
        SubmitBatchRequest.Builder batch = SubmitBatchRequest.newBuilder().setWaitForCommit(true);
        for (int i = 0; i < BATCH_TXS; i++) {
          long nonce = ++nonces[thread];
          batch.addTxs(
              factory.anchorTx(
                  key, nonce, height + 1000, "img-" + thread + "-" + nonce + "-" + salt));
        }
        SubmitBatchResponse r =
            client
                .submit()
                .withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS)
                .submitBatch(batch.build());
        for (SubmitResponse s : r.getResultsList()) {
          if (s.getCommitted()) {
            acked.put(s.getTxHash(), s.getHeight());
          }
        }
      }
    } catch (Exception e) {
      // The node was killed under us: expected. Only acknowledged commits count.
    }
  }

  /** Reads every block: ids link, each commit certificate is valid, acked txs are all there. */
  private static void checkChain(
      NodeClient client, GenesisBuilder.Result chain, Map<ByteString, Long> acked, String where) {
    long height = client.query().getStatus(StatusRequest.getDefaultInstance()).getHeight();
    var weights = new ValidatorSet(chain.genesis()).weights();
    Map<ByteString, Long> found = new HashMap<>();
    byte[] previousId = new byte[32];
    BlockResponse previous = null;
    for (long h = 1; h <= height; h++) {
      BlockResponse b = client.query().getBlock(GetBlockRequest.newBuilder().setHeight(h).build());
      var header = b.getBlock().getHeader();
      assertEquals(h, header.getHeight(), where);
      assertArrayEquals(
          previousId,
          header.getPreviousHash().toByteArray(),
          "chain breaks at " + h + "; " + where);
      if (previous != null) {
        assertEquals(previous.getCommit(), header.getLastCommit(), where);
      }
      byte[] id = BlockCodec.blockId(header);
      assertNull(
          BlockCodec.checkCommit(chain.genesis().getChainId(), id, b.getCommit(), weights), where);
      assertArrayEquals(
          BlockCodec.txRoot(b.getBlock().getTxsList()), header.getTxRoot().toByteArray(), where);
      for (var tx : b.getBlock().getTxsList()) {
        found.put(ByteString.copyFrom(TxCodec.hash(tx)), h);
      }
      previousId = id;
      previous = b;
    }
    for (Map.Entry<ByteString, Long> e : acked.entrySet()) {
      assertEquals(e.getValue(), found.get(e.getKey()), "acknowledged tx lost or moved; " + where);
    }
  }

  /** A fresh gRPC channel backs off after refused connects; wait for the port first. */
  private static void awaitPortOpen(String address, String replay) {
    int colon = address.lastIndexOf(':');
    var target =
        new java.net.InetSocketAddress(
            address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
    await("node port open; " + replay)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(
            () -> {
              try (var socket = new java.net.Socket()) {
                socket.connect(target, 500);
                return true;
              }
            });
  }

  private static void awaitReady(NodeClient client, String replay) {
    await("node ready; " + replay)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(
            () ->
                client
                        .query()
                        .withDeadlineAfter(2, java.util.concurrent.TimeUnit.SECONDS)
                        .getStatus(StatusRequest.getDefaultInstance())
                    != null);
  }

  private static Process startNode(Path home, String address, int round) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-Xmx512m",
            // Start-up speed matters more than peak speed for 21 short-lived nodes.
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            "io.prosima.node.cli.ProsimaCli",
            "node",
            "start",
            "--home",
            home.toString(),
            "--grpc-listen",
            address)
        .redirectErrorStream(true)
        .redirectOutput(home.resolve("node-" + round + ".log").toFile())
        .start();
  }
}
