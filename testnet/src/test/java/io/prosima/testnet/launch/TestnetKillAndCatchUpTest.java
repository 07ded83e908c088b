package io.prosima.testnet.launch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.node.bench.AnchorTxFactory;
import io.prosima.node.client.NodeClient;
import io.prosima.node.client.TxProofVerifier;
import io.prosima.proto.v1.GetBlockRequest;
import io.prosima.proto.v1.GetTxRequest;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.StatusRequest;
import io.prosima.proto.v1.SubmitBatchRequest;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.TxResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-process test: four validator processes in two regions on 127.0.0.1, transactions
 * submitted to different validators, one validator killed with SIGKILL while the others keep
 * committing, then restarted: it catches up by block sync and all four report the same block id at
 * every height, and every acknowledged transaction at its acknowledged height.
 */
class TestnetKillAndCatchUpTest {
  static final int VALIDATORS = 4;
  static final int VICTIM = 3;

  @TempDir Path dir;

  private LocalTestnet net;
  private AnchorTxFactory factory;

  @Test
  void aKilledValidatorCatchesUpAndEveryNodeHasTheSameBlocks() throws Exception {
    net = LocalTestnet.create(dir.resolve("net"), VALIDATORS, 2, LocalTestnet.freeBasePort(4));
    factory = new AnchorTxFactory(net.genesis().getChainId());
    try {
      net.startAll();
      net.awaitReady(Duration.ofSeconds(90));
      List<SubmitResponse> acked = new ArrayList<>();
      acked.addAll(submit(0, "hospital-0", 1, "a"));
      acked.addAll(submit(2, "hospital-1", 1, "b"));

      net.kill(VICTIM);
      assertFalse(net.running(VICTIM).isPresent(), "validator-3 still running after SIGKILL");
      long atKill = height(0);
      acked.addAll(submit(1, "hospital-0", 101, "c"));
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> height(0) >= atKill + 3 && height(2) >= atKill + 3);

      net.start(VICTIM);
      net.awaitReady(Duration.ofSeconds(90));
      long target = height(0);
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> height(VICTIM) >= target);
      acked.addAll(submit(VICTIM, "hospital-1", 101, "d"));

      long top = height(VICTIM);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> height(0) >= top && height(1) >= top && height(2) >= top);
      assertTrue(top > atKill + 3, "the chain did not advance: top " + top);
      for (long h = 1; h <= top; h++) {
        ByteString id = blockId(0, h);
        for (int i = 1; i < VALIDATORS; i++) {
          assertEquals(id, blockId(i, h), "height " + h + " differs on validator-" + i);
        }
      }
      for (SubmitResponse r : acked) {
        for (int i = 0; i < VALIDATORS; i++) {
          try (NodeClient c = net.client(i, "auditor-0")) {
            TxResponse tx =
                c.query().getTx(GetTxRequest.newBuilder().setTxHash(r.getTxHash()).build());
            assertEquals(r.getHeight(), tx.getHeight(), "tx height on validator-" + i);
            assertNull(TxProofVerifier.check(tx, net.genesis()));
          }
        }
      }
    } finally {
      net.stopAll();
    }
  }

  private List<SubmitResponse> submit(int node, String client, long firstNonce, String tag)
      throws Exception {
    KeyFile key = net.clientKey(client);
    List<Transaction> txs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      txs.add(factory.anchorTx(key, firstNonce + i, 5_000, tag + "-" + i));
    }
    try (NodeClient c = net.client(node, client)) {
      var r =
          c.submit()
              .withDeadlineAfter(60, TimeUnit.SECONDS)
              .submitBatch(
                  SubmitBatchRequest.newBuilder().addAllTxs(txs).setWaitForCommit(true).build());
      for (SubmitResponse s : r.getResultsList()) {
        assertTrue(s.getCommitted(), "validator-" + node + ": " + s.getCode() + s.getMessage());
      }
      return r.getResultsList();
    }
  }

  private long height(int i) throws Exception {
    try (NodeClient c = net.client(i, "auditor-0")) {
      return c.query()
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .getStatus(StatusRequest.getDefaultInstance())
          .getHeight();
    }
  }

  private ByteString blockId(int i, long h) throws Exception {
    try (NodeClient c = net.client(i, "auditor-0")) {
      return c.query().getBlock(GetBlockRequest.newBuilder().setHeight(h).build()).getBlockId();
    }
  }
}
