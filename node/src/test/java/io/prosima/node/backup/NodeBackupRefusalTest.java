package io.prosima.node.backup;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.genesis.ChainLayout;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.node.LedgerNode;
import io.prosima.node.NodeConfig;
import io.prosima.node.TestChains;
import io.prosima.storage.RocksDbLedgerStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups of a one-validator chain: taken by the running node or from a stopped home, restored into
 * a home holding only the genesis and key; and every refused restore (corrupt file, another chain's
 * genesis, a home with data) says why in one line and leaves the home as it was.
 */
class NodeBackupRefusalTest {
  @TempDir Path dir;

  private GenesisBuilder.Result chain;
  private Path home;
  private Path backup;
  private long backedUp;

  @BeforeEach
  void aBackupOfARunningNode() throws Exception {
    chain = TestChains.create(dir.resolve("chain"), 0);
    home = ChainLayout.nodeHome(dir.resolve("chain"), chain.validatorKeys().get(0));
    backup = dir.resolve("node.backup.zip");
    try (LedgerNode node = LedgerNode.start(NodeConfig.defaults(home))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> node.core().store().height() >= 1);
      // A running node holds its database: the command then asks the node (NodeBackupCommandTest).
      assertThrows(
          BackupException.DatabaseInUse.class,
          () -> NodeBackup.writeFromHome(home, dir.resolve("x")));
      backedUp = node.backup(backup);
    }
    assertTrue(backedUp >= 1);
  }

  @Test
  void aBackupRestoresIntoAHomeWithOnlyGenesisAndKeyAndOpensAtItsHeight() throws Exception {
    Path fresh = siteHome("fresh");
    assertEquals(backedUp, NodeBackup.restore(backup, fresh));
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(NodeBackup.ledgerDir(fresh))) {
      assertEquals(backedUp, store.height());
    }
    assertEquals(
        List.of("data", ChainLayout.GENESIS_FILE, ChainLayout.NODE_KEY_FILE), topLevel(fresh));
  }

  @Test
  void aStoppedNodeIsBackedUpFromItsHomeClearingACutShortBackupAndNoFileIsOverwritten()
      throws Exception {
    Path out = dir.resolve("stopped.backup.zip");
    // What a backup cut short by a crash leaves beside the ledger.
    Path stale = home.resolve(LedgerNode.DATA_DIR).resolve(NodeBackup.SCRATCH_PREFIX + "1");
    Files.createDirectories(stale);
    Files.write(stale.resolve("000001.sst"), new byte[] {1});
    long height = NodeBackup.writeFromHome(home, out);
    assertEquals(List.of(LedgerNode.LEDGER_DIR), topLevel(home.resolve(LedgerNode.DATA_DIR)));
    assertTrue(height >= backedUp);
    assertEquals(height, NodeBackup.restore(out, siteHome("from-stopped")));
    byte[] before = Files.readAllBytes(out);
    BackupException e =
        assertThrows(BackupException.class, () -> NodeBackup.writeFromHome(home, out));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(out)));
  }

  @Test
  void aHomeThatAlreadyHasDataIsRefusedAndKeepsItsData() throws Exception {
    String before = snapshot(home);
    BackupException e = assertThrows(BackupException.class, () -> NodeBackup.restore(backup, home));
    assertTrue(e.getMessage().contains("already has a data/"), e.getMessage());
    assertEquals(before, snapshot(home));
  }

  @Test
  void aBackupOfAnotherChainIsRefusedAgainstTheHomesGenesis() throws Exception {
    GenesisBuilder.Result other = TestChains.create(dir.resolve("other"), 0);
    Path otherHome = ChainLayout.nodeHome(dir.resolve("other"), other.validatorKeys().get(0));
    String before = snapshot(otherHome);
    BackupException e =
        assertThrows(BackupException.class, () -> NodeBackup.restore(backup, otherHome));
    assertTrue(e.getMessage().contains("genesis"), e.getMessage());
    assertEquals(before, snapshot(otherHome));
  }

  @Test
  void aBackupWithAChangedDatabaseFileIsRefusedAndWritesNothing() throws Exception {
    Path tampered = dir.resolve("tampered.zip");
    flipOneByteOfTheLargestLedgerFile(backup, tampered);
    Path fresh = siteHome("tampered");
    String before = snapshot(fresh);
    BackupException e =
        assertThrows(BackupException.class, () -> NodeBackup.restore(tampered, fresh));
    assertTrue(e.getMessage().contains("does not match its manifest"), e.getMessage());
    assertEquals(before, snapshot(fresh));
  }

  @Test
  void aTruncatedBackupIsRefusedAndWritesNothing() throws Exception {
    Path cut = dir.resolve("cut.zip");
    byte[] all = Files.readAllBytes(backup);
    Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
    Path fresh = siteHome("cut");
    String before = snapshot(fresh);
    assertThrows(BackupException.class, () -> NodeBackup.restore(cut, fresh));
    assertEquals(before, snapshot(fresh));
  }

  @Test
  void aFileThatIsNotABackupIsRefused() throws Exception {
    Path notBackup = dir.resolve("genesis-copy.zip");
    Files.copy(home.resolve(ChainLayout.GENESIS_FILE), notBackup);
    Path fresh = siteHome("not-backup");
    String before = snapshot(fresh);
    BackupException e =
        assertThrows(BackupException.class, () -> NodeBackup.restore(notBackup, fresh));
    assertTrue(e.getMessage().contains("not a Prosima backup"), e.getMessage());
    assertEquals(before, snapshot(fresh));
  }

  /** A new site's home: what the operator copies there before a restore. */
  private Path siteHome(String name) throws Exception {
    Path h = dir.resolve(name);
    Files.createDirectories(h);
    Files.copy(home.resolve(ChainLayout.GENESIS_FILE), h.resolve(ChainLayout.GENESIS_FILE));
    Files.copy(home.resolve(ChainLayout.NODE_KEY_FILE), h.resolve(ChainLayout.NODE_KEY_FILE));
    return h;
  }

  private static List<String> topLevel(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Every path under {@code root} with its size: equal snapshots mean nothing was changed. */
  private static String snapshot(Path root) throws Exception {
    StringBuilder out = new StringBuilder();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
        out.append(root.relativize(p))
            .append(' ')
            .append(Files.isRegularFile(p) ? Files.size(p) : -1)
            .append('\n');
      }
    }
    return out.toString();
  }

  private static void flipOneByteOfTheLargestLedgerFile(Path in, Path out) throws Exception {
    String largest = null;
    long largestBytes = -1;
    try (ZipInputStream z = new ZipInputStream(Files.newInputStream(in))) {
      for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
        long n = z.transferTo(OutputStream.nullOutputStream());
        if (e.getName().startsWith("ledger/") && n > largestBytes) {
          largest = e.getName();
          largestBytes = n;
        }
      }
    }
    try (InputStream fi = Files.newInputStream(in);
        ZipInputStream z = new ZipInputStream(fi);
        ZipOutputStream zo = new ZipOutputStream(Files.newOutputStream(out))) {
      for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
        byte[] body = z.readAllBytes();
        if (e.getName().equals(largest)) {
          body[body.length / 2] ^= 0x01;
        }
        zo.putNextEntry(new ZipEntry(e.getName()));
        zo.write(body);
        zo.closeEntry();
      }
    }
  }
}
