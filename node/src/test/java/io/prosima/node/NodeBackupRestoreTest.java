package io.prosima.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.genesis.ChainLayout;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.node.backup.NodeBackup;
import io.prosima.node.bench.AnchorTxFactory;
import io.prosima.node.client.NodeClient;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.SubmitBatchRequest;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.wire.BlockCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four validators in this JVM: one is backed up while it runs, stopped, its data wiped and the
 * backup restored into its home; started again, it catches up to the others by block sync and holds
 * identical blocks, including the transactions committed after its backup.
 */
class NodeBackupRestoreTest {
  @TempDir Path dir;

  private GenesisBuilder.Result chain;
  private final LedgerNode[] nodes = new LedgerNode[4];

  @Test
  void aValidatorRestoredFromABackupTakenWhileItRanCatchesUpToIdenticalBlocks() throws Exception {
    chain =
        new GenesisBuilder()
            .chainId("backup")
            .validators(4)
            .regions(2)
            .clients(1, 1, 0)
            .basePort(TestChains.basePortBelowEphemeral())
            .build(new SecureRandom());
    ChainLayout.write(dir, chain);
    Path home3 = ChainLayout.nodeHome(dir, chain.validatorKeys().get(3));
    try {
      for (int i = 0; i < 4; i++) {
        start(i);
      }
      AnchorTxFactory factory = new AnchorTxFactory(chain.genesis().getChainId());
      KeyFile h0 = chain.clientKeys().get(0);
      submit(0, h0, anchors(factory, h0, 1, 10, "before"));
      // The submit waits for validator-0's commit; validator-3 may apply that block a moment later
      // (CI saw its backup taken at height 0).
      long committed = height(0);
      await().atMost(Duration.ofSeconds(60)).until(() -> height(3) >= committed);

      Path file = dir.resolve("validator-3.backup.zip");
      long backedUp = nodes[3].backup(file);
      assertTrue(backedUp >= committed, "backup holds the committed blocks: " + backedUp);
      assertEquals(List.of("manifest.json"), entryNames(file).subList(0, 1));
      assertTrue(
          entryNames(file).stream().skip(1).allMatch(n -> n.startsWith("ledger/")),
          "only the manifest and the database are in a backup: " + entryNames(file));

      List<SubmitResponse> after = submit(1, h0, anchors(factory, h0, 11, 10, "after"));
      nodes[3].close();
      nodes[3] = null;
      deleteTree(home3.resolve(LedgerNode.DATA_DIR));
      assertTrue(Files.isRegularFile(home3.resolve(ChainLayout.NODE_KEY_FILE)));

      assertEquals(backedUp, NodeBackup.restore(file, home3));
      start(3);
      assertEquals(backedUp, height(3), "the node starts at the backup's height");
      long target = height(0);
      assertTrue(target > backedUp, "the chain moved on after the backup");
      await().atMost(Duration.ofSeconds(60)).until(() -> height(3) >= target);

      for (long h = 1; h <= target; h++) {
        byte[] id = blockId(0, h);
        assertArrayEquals(id, blockId(3, h), "block " + h + " differs on the restored validator");
      }
      for (SubmitResponse r : after) {
        var at = nodes[3].core().store().txLocation(r.getTxHash().toByteArray());
        assertTrue(at.isPresent(), "a tx committed after the backup reached the restored node");
        assertEquals(r.getHeight(), at.get().getHeight());
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
    try (NodeClient c =
        new NodeClient("127.0.0.1:" + nodes[node].grpcPort(), key, chain.genesis())) {
      var r =
          c.submit()
              .submitBatch(
                  SubmitBatchRequest.newBuilder().addAllTxs(txs).setWaitForCommit(true).build());
      for (SubmitResponse s : r.getResultsList()) {
        assertTrue(s.getCommitted(), s.getCode() + " " + s.getMessage());
      }
      return r.getResultsList();
    }
  }

  private long height(int i) {
    return nodes[i].core().store().height();
  }

  private byte[] blockId(int i, long h) {
    return BlockCodec.blockId(
        nodes[i].core().store().block(h).orElseThrow().getBlock().getHeader());
  }

  static List<String> entryNames(Path zip) throws Exception {
    List<String> names = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.getName());
      }
    }
    return names;
  }

  static void deleteTree(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    assertFalse(Files.exists(root));
  }
}
