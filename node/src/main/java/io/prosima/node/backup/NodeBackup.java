package io.prosima.node.backup;

import io.prosima.consensus.execution.StateHash;
import io.prosima.genesis.ChainLayout;
import io.prosima.genesis.GenesisException;
import io.prosima.genesis.GenesisFiles;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.storage.RocksDbLedgerStore;
import io.prosima.storage.StorageCorruptionException;
import io.prosima.storage.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Backs up and restores a validator's database (the RocksDB holding blocks, indexes, state, the
 * consensus WAL and image fragments).
 *
 * <p>A backup file is a ZIP: first {@code manifest.json} ({@link BackupManifest}: chain id, genesis
 * hash, height, block id, size and SHA-256 of each file), then one entry {@code ledger/NAME} per
 * file of a RocksDB checkpoint. It never holds the node's private key or its genesis: those stay on
 * the site, and the operator copies them into the home before a restore.
 */
public final class NodeBackup {
  static final String MANIFEST_ENTRY = "manifest.json";
  static final String LEDGER_PREFIX = "ledger/";

  /** A manifest larger than this is refused before it is parsed. */
  static final int MANIFEST_BYTES_MAX = 16 << 20;

  /** A backup naming more files than this is refused (a checkpoint has tens to thousands). */
  static final int FILES_MAX = 100_000;

  /** Name prefix of the checkpoint a backup takes beside the ledger, removed when it ends. */
  static final String SCRATCH_PREFIX = ".backup-";

  private static final HexFormat HEX = HexFormat.of();

  private NodeBackup() {}

  /**
   * Writes a backup of {@code store} to {@code out}, which must not exist. The checkpoint is taken
   * in a scratch directory inside {@code scratchParent} (the directory that holds the ledger, so
   * RocksDB can hard-link instead of copying) and removed afterwards. Consistent while the node
   * runs: commits wait for the checkpoint. Callers must not run two backups of one store at once:
   * each removes scratch checkpoints it finds, as left by a backup cut short.
   *
   * @return the height the backup holds
   */
  public static long write(RocksDbLedgerStore store, Genesis genesis, Path scratchParent, Path out)
      throws BackupException, IOException {
    if (Files.exists(out)) {
      throw new BackupException("backup file " + out + " already exists; choose another --out");
    }
    // A backup cut short (a crash) leaves its scratch checkpoint: hard links that would keep old
    // table files on disk forever. Callers run one backup at a time per store.
    try (Stream<Path> old = Files.list(scratchParent)) {
      for (Path p :
          old.filter(p -> p.getFileName().toString().startsWith(SCRATCH_PREFIX)).toList()) {
        deleteTree(p);
      }
    }
    Path scratch = scratchParent.resolve(SCRATCH_PREFIX + System.nanoTime());
    try {
      long height;
      try {
        height = store.checkpoint(scratch);
      } catch (StorageException e) {
        throw new BackupException(e.getMessage(), e);
      }
      String blockId =
          height == 0
              ? ""
              : HEX.formatHex(
                  BlockCodec.blockId(store.block(height).orElseThrow().getBlock().getHeader()));
      List<BackupManifest.FileEntry> files = new ArrayList<>();
      List<Path> paths;
      try (Stream<Path> s = Files.list(scratch)) {
        paths = s.sorted().toList();
      }
      for (Path p : paths) {
        if (!Files.isRegularFile(p)) {
          throw new IllegalStateException("RocksDB checkpoint holds a non-file: " + p);
        }
        files.add(
            new BackupManifest.FileEntry(
                p.getFileName().toString(), Files.size(p), HEX.formatHex(sha256(p))));
      }
      BackupManifest manifest =
          new BackupManifest(
              BackupManifest.FORMAT,
              genesis.getChainId(),
              HEX.formatHex(StateHash.genesis(genesis)),
              height,
              blockId,
              files);
      Path partial = out.resolveSibling(out.getFileName() + ".partial");
      try (OutputStream fo = Files.newOutputStream(partial);
          ZipOutputStream zip = new ZipOutputStream(fo)) {
        zip.putNextEntry(new ZipEntry(MANIFEST_ENTRY));
        zip.write(manifest.toJson());
        zip.closeEntry();
        for (Path p : paths) {
          zip.putNextEntry(new ZipEntry(LEDGER_PREFIX + p.getFileName()));
          Files.copy(p, zip);
          zip.closeEntry();
        }
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(partial);
        throw e;
      }
      try {
        Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException e) {
        Files.deleteIfExists(partial);
        throw new BackupException("backup file " + out + " already exists; choose another --out");
      }
      return height;
    } finally {
      deleteTree(scratch);
    }
  }

  /**
   * Backs up a stopped node's home.
   *
   * @throws BackupException.DatabaseInUse when a running node holds the database (ask it over gRPC,
   *     {@code NodeAdmin.Backup})
   */
  public static long writeFromHome(Path home, Path out)
      throws BackupException, IOException, GenesisException {
    Genesis genesis = GenesisFiles.read(home.resolve(ChainLayout.GENESIS_FILE));
    Path ledger = ledgerDir(home);
    if (!Files.isRegularFile(ledger.resolve("CURRENT"))) {
      throw new BackupException("no node database in " + ledger + "; nothing to back up");
    }
    RocksDbLedgerStore store;
    try {
      store = RocksDbLedgerStore.open(ledger);
    } catch (StorageException e) {
      // RocksDB's lock file: "While lock file: .../LOCK: Resource temporarily unavailable".
      if (String.valueOf(e.getMessage()).contains("lock")) {
        throw new BackupException.DatabaseInUse(
            "the database in " + ledger + " is held by a running node", e);
      }
      throw new BackupException(
          "cannot open the database in "
              + ledger
              + " (is the node running? a running node is backed up by itself): "
              + e.getMessage(),
          e);
    }
    try {
      return write(store, genesis, ledger.getParent(), out);
    } finally {
      store.close();
    }
  }

  /**
   * Restores a backup into {@code home}, which must already hold the chain's genesis.json (the
   * operator copies it and the node key there) and no {@code data/} (or an empty one). Everything
   * is checked before the database appears under {@code data/}: the manifest's chain and genesis
   * hash against the home's genesis, each file's size and SHA-256, no missing or extra file, and
   * that the restored database opens at the manifest's height and block id. A refusal leaves the
   * home as it was.
   *
   * @return the height of the restored database
   */
  public static long restore(Path file, Path home)
      throws BackupException, IOException, GenesisException {
    Path genesisFile = home.resolve(ChainLayout.GENESIS_FILE);
    if (!Files.isRegularFile(genesisFile)) {
      throw new BackupException(
          "no "
              + ChainLayout.GENESIS_FILE
              + " in "
              + home
              + "; copy the chain's genesis (and the node key) there first");
    }
    Genesis genesis = GenesisFiles.read(genesisFile);
    Path data = home.resolve(io.prosima.node.LedgerNode.DATA_DIR);
    if (Files.exists(data) && !isEmptyDir(data)) {
      throw new BackupException(
          home
              + " already has a "
              + data.getFileName()
              + "/ directory; restore only into a home without data");
    }
    if (!Files.isRegularFile(file)) {
      throw new BackupException("no backup file " + file);
    }
    Path staging = home.resolve(".restore-" + System.nanoTime());
    try {
      Path ledger = staging.resolve(io.prosima.node.LedgerNode.LEDGER_DIR);
      Files.createDirectories(ledger);
      BackupManifest manifest = unpack(file, genesis, ledger);
      checkOpens(ledger, manifest);
      Files.deleteIfExists(data); // only an empty directory reaches here
      Files.move(staging, data, StandardCopyOption.ATOMIC_MOVE);
      return manifest.height();
    } finally {
      deleteTree(staging);
    }
  }

  private static BackupManifest unpack(Path file, Genesis genesis, Path ledger)
      throws BackupException, IOException {
    try (InputStream fi = Files.newInputStream(file);
        ZipInputStream zip = new ZipInputStream(fi)) {
      ZipEntry first = zip.getNextEntry();
      if (first == null || !first.getName().equals(MANIFEST_ENTRY)) {
        throw new BackupException(
            file + " is not a Prosima backup (no " + MANIFEST_ENTRY + " first)");
      }
      BackupManifest manifest = BackupManifest.fromJson(readBounded(zip, MANIFEST_BYTES_MAX));
      String genesisHash = HEX.formatHex(StateHash.genesis(genesis));
      if (!manifest.chainId().equals(genesis.getChainId())
          || !manifest.genesisHash().equals(genesisHash)) {
        throw new BackupException(
            "backup is of chain '"
                + manifest.chainId()
                + "' genesis "
                + manifest.genesisHash()
                + ", the home's genesis.json is chain '"
                + genesis.getChainId()
                + "' genesis "
                + genesisHash);
      }
      if (manifest.files().size() > FILES_MAX) {
        throw new BackupException("backup names more than " + FILES_MAX + " files");
      }
      Map<String, BackupManifest.FileEntry> expected = new HashMap<>();
      for (BackupManifest.FileEntry f : manifest.files()) {
        if (!safeName(f.path()) || expected.put(f.path(), f) != null) {
          throw new BackupException(
              "backup manifest names a bad or repeated file '" + f.path() + "'");
        }
      }
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        String name = e.getName();
        String rel = name.startsWith(LEDGER_PREFIX) ? name.substring(LEDGER_PREFIX.length()) : "";
        BackupManifest.FileEntry f = expected.remove(rel);
        if (f == null) {
          throw new BackupException(
              "backup holds '" + name + "', which its manifest does not name (or names twice)");
        }
        copyChecked(zip, ledger.resolve(f.path()), f);
      }
      if (!expected.isEmpty()) {
        throw new BackupException(
            "backup is missing "
                + expected.size()
                + " file(s) its manifest names, e.g. '"
                + expected.keySet().iterator().next()
                + "'");
      }
      return manifest;
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      // Reading the backup failed (truncated or damaged), not writing the staging copy.
      throw new BackupException(file + " is corrupt or truncated: " + e.getMessage(), e);
    }
  }

  /** Copies one entry, refusing it once it passes its manifest size or when its hash differs. */
  private static void copyChecked(InputStream in, Path target, BackupManifest.FileEntry f)
      throws BackupException, IOException {
    MessageDigest sha = sha256();
    long written = 0;
    byte[] buf = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(target)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        written += n;
        if (written > f.bytes()) {
          throw new BackupException(
              "backup file '"
                  + f.path()
                  + "' is longer than its manifest's "
                  + f.bytes()
                  + " bytes");
        }
        sha.update(buf, 0, n);
        out.write(buf, 0, n);
      }
    }
    if (written != f.bytes() || !HEX.formatHex(sha.digest()).equals(f.sha256())) {
      throw new BackupException(
          "backup file '"
              + f.path()
              + "' does not match its manifest (size or SHA-256); the backup is corrupt");
    }
  }

  /** The restored database must open and its tip must be the manifest's. */
  private static void checkOpens(Path ledger, BackupManifest manifest) throws BackupException {
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(ledger)) {
      String blockId = store.lastBlockId().map(HEX::formatHex).orElse("");
      if (store.height() != manifest.height() || !blockId.equals(manifest.blockId())) {
        throw new BackupException(
            "restored database is at height "
                + store.height()
                + ", its manifest says "
                + manifest.height()
                + "; the backup is corrupt");
      }
    } catch (StorageException | StorageCorruptionException e) {
      throw new BackupException("restored database does not open: " + e.getMessage(), e);
    }
  }

  /** Path of the ledger database in a node home. */
  public static Path ledgerDir(Path home) {
    return home.resolve(io.prosima.node.LedgerNode.DATA_DIR)
        .resolve(io.prosima.node.LedgerNode.LEDGER_DIR);
  }

  private static boolean safeName(String name) {
    return !name.isEmpty()
        && !name.equals(".")
        && !name.equals("..")
        && name.indexOf('/') < 0
        && name.indexOf('\\') < 0
        && name.indexOf('\0') < 0;
  }

  private static byte[] readBounded(InputStream in, int max) throws IOException, BackupException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) > 0; ) {
      if (out.size() + n > max) {
        throw new BackupException("backup manifest is larger than " + max + " bytes");
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static boolean isEmptyDir(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  private static byte[] sha256(Path p) throws IOException {
    MessageDigest sha = sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(p), sha)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return sha.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
