package io.prosima.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.genesis.ChainLayout;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.node.bench.AnchorTxFactory;
import io.prosima.node.client.NodeClient;
import io.prosima.node.client.TxProofVerifier;
import io.prosima.proto.v1.GetTxRequest;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.SubmitBatchRequest;
import io.prosima.proto.v1.SubmitBatchResponse;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.TxResponse;
import io.prosima.proto.wire.BlockCodec;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four validators in this JVM over the real p2p overlay (mutual TLS on loopback) and the BFT
 * engine: transactions sent to different nodes commit everywhere, the chain goes on while one
 * validator is down, and the returning validator catches up by block sync to identical blocks.
 */
class MultiValidatorTest {
  @TempDir Path dir;

  private GenesisBuilder.Result chain;
  private final LedgerNode[] nodes = new LedgerNode[4];

  @Test
  void fourValidatorsAgreeKeepGoingWithOneDownAndTheReturningOneCatchesUp() throws Exception {
    chain =
        new GenesisBuilder()
            .chainId("multi")
            .validators(4)
            .regions(2)
            .clients(2, 1, 0)
            .basePort(TestChains.basePortBelowEphemeral())
            .build(new SecureRandom());
    ChainLayout.write(dir, chain);
    try {
      for (int i = 0; i < 4; i++) {
        start(i);
      }
      AnchorTxFactory factory = new AnchorTxFactory(chain.genesis().getChainId());
      KeyFile h0 = chain.clientKeys().get(0);
      KeyFile h1 = chain.clientKeys().get(1);
      List<SubmitResponse> acked = new ArrayList<>();
      acked.addAll(submit(0, h0, anchors(factory, h0, 1, 10, "a")));
      acked.addAll(submit(2, h1, anchors(factory, h1, 1, 10, "b")));

      nodes[3].close();
      nodes[3] = null;
      long downAt = height(0);
      acked.addAll(submit(1, h0, anchors(factory, h0, 11, 10, "c")));
      await().atMost(Duration.ofSeconds(30)).until(() -> height(0) >= downAt + 3);

      start(3);
      long target = height(0);
      await().atMost(Duration.ofSeconds(60)).until(() -> height(3) >= target);
      acked.addAll(submit(3, h1, anchors(factory, h1, 11, 5, "d")));

      long top = height(3);
      await().atMost(Duration.ofSeconds(30)).until(() -> minHeight() >= top);
      for (long h = 1; h <= top; h++) {
        byte[] id = blockId(0, h);
        for (int i = 1; i < 4; i++) {
          assertArrayEquals(id, blockId(i, h), "block " + h + " differs on validator-" + i);
        }
      }
      for (SubmitResponse r : acked) {
        for (int i = 0; i < 4; i++) {
          TxResponse tx = txOn(i, r);
          assertEquals(r.getHeight(), tx.getHeight());
          assertNull(TxProofVerifier.check(tx, chain.genesis()));
        }
      }
    } finally {
      for (LedgerNode n : nodes) {
        if (n != null) {
          n.close();
        }
      }
    }
  }

  private void start(int i) throws Exception {
    nodes[i] =
        LedgerNode.start(
            NodeConfig.defaults(ChainLayout.nodeHome(dir, chain.validatorKeys().get(i))));
  }

  private static List<Transaction> anchors(
      AnchorTxFactory f, KeyFile key, long firstNonce, int count, String tag) {
    List<Transaction> txs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      txs.add(f.anchorTx(key, firstNonce + i, 1_000, tag + "-" + i));
    }
    return txs;
  }

  private List<SubmitResponse> submit(int node, KeyFile key, List<Transaction> txs)
      throws Exception {
    try (NodeClient c = client(node, key)) {
      SubmitBatchResponse r =
          c.submit()
              .submitBatch(
                  SubmitBatchRequest.newBuilder().addAllTxs(txs).setWaitForCommit(true).build());
      for (SubmitResponse s : r.getResultsList()) {
        assertTrue(s.getCommitted(), s.getCode() + " " + s.getMessage());
      }
      return r.getResultsList();
    }
  }

  private NodeClient client(int node, KeyFile key) throws Exception {
    return new NodeClient("127.0.0.1:" + nodes[node].grpcPort(), key, chain.genesis());
  }

  private long height(int i) {
    return nodes[i].core().store().height();
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

  private TxResponse txOn(int i, SubmitResponse r) throws Exception {
    try (NodeClient c = client(i, chain.clientKeys().get(2))) {
      return c.query().getTx(GetTxRequest.newBuilder().setTxHash(r.getTxHash()).build());
    }
  }
}
