package io.prosima.node.cli;

import io.prosima.node.LedgerNode;
import io.prosima.node.NodeConfig;
import io.prosima.node.backup.BackupException;
import io.prosima.node.backup.NodeBackup;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `prosima node start|backup|restore`: runs a validator; backs up and restores its database. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = "Run a validator node.",
    subcommands = {NodeCommand.Start.class, NodeCommand.Backup.class, NodeCommand.Restore.class})
final class NodeCommand {
  @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a validator.")
  static final class Start implements Callable<Integer> {
    /**
     * Exit code of a node that stopped on a fatal error (sysexits EX_SOFTWARE), distinct from the 1
     * and 2 of refused input.
     */
    static final int EXIT_FATAL = 70;

    @Option(
        names = "--home",
        required = true,
        description = "Node home (genesis.json, node-key.json; data goes to data/).")
    Path home;

    @Option(names = "--grpc-listen", description = "Override the gRPC host:port from genesis.")
    String grpcListen;

    @Option(
        names = "--metrics-listen",
        description = "Serve Prometheus metrics on this loopback host:port (off by default).")
    String metricsListen;

    @Override
    public Integer call() throws Exception {
      NodeConfig config = NodeConfig.defaults(home);
      if (metricsListen != null) {
        config = config.withMetricsListen(metricsListen);
      }
      if (grpcListen != null) {
        config = config.withGrpcListen(grpcListen);
      }
      LedgerNode node;
      try {
        node = LedgerNode.start(config);
      } catch (io.prosima.genesis.GenesisException | io.prosima.storage.StorageException e) {
        throw new CliException(e.getMessage(), e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(node::close));
      System.out.println(
          "node "
              + node.self().getName()
              + " running; gRPC port "
              + node.grpcPort()
              + (node.metricsPort() > 0 ? "; metrics on port " + node.metricsPort() : ""));
      System.out.flush();
      return waitForStop(node);
    }

    /**
     * Waits until the node stops. A node that stopped on its own (a fatal error) exits with {@link
     * #EXIT_FATAL}, so a supervisor restarts it; a node stopped by a signal exits normally.
     */
    static int waitForStop(LedgerNode node) throws InterruptedException {
      var failure = node.awaitStopped();
      if (failure.isPresent()) {
        System.err.println("error: node stopped on a fatal error: " + failure.get());
        return EXIT_FATAL;
      }
      return 0;
    }
  }

  @Command(
      name = "backup",
      mixinStandardHelpOptions = true,
      description =
          "Back up a node's database (blocks, state, consensus WAL, image fragments) to a file."
              + " A stopped node's database is read directly; a running node is asked over gRPC,"
              + " with the home's node-key.json, and writes a consistent checkpoint itself. The"
              + " node key and genesis are not in the backup.")
  static final class Backup implements Callable<Integer> {
    @Option(names = "--home", required = true, description = "Node home to back up.")
    Path home;

    @Option(
        names = "--out",
        required = true,
        description = "Backup file to write (must not exist).")
    Path out;

    @Option(
        names = "--grpc",
        description =
            "host:port of the running node's gRPC endpoint (default: its address in genesis).")
    String grpc;

    @Override
    public Integer call() throws Exception {
      long height;
      try {
        height = NodeBackup.writeFromHome(home, out);
      } catch (BackupException.DatabaseInUse running) {
        height = askRunningNode();
      } catch (BackupException | io.prosima.genesis.GenesisException e) {
        throw new CliException(e.getMessage(), e);
      }
      System.out.println("backup of " + home + " at height " + height + " written to " + out);
      return 0;
    }

    private long askRunningNode() throws Exception {
      if (java.nio.file.Files.exists(out)) {
        throw new CliException("backup file " + out + " already exists; choose another --out");
      }
      io.prosima.proto.v1.Genesis genesis;
      io.prosima.proto.v1.KeyFile key;
      try {
        genesis =
            io.prosima.genesis.GenesisFiles.read(
                home.resolve(io.prosima.genesis.ChainLayout.GENESIS_FILE));
        key =
            io.prosima.genesis.KeyFiles.read(
                home.resolve(io.prosima.genesis.ChainLayout.NODE_KEY_FILE));
      } catch (io.prosima.genesis.GenesisException e) {
        throw new CliException(e.getMessage(), e);
      }
      String address = grpc;
      if (address == null) {
        address =
            genesis.getValidatorsList().stream()
                .filter(v -> v.getPublicKey().equals(key.getEd25519PublicKey()))
                .findFirst()
                .orElseThrow(
                    () -> new CliException("node key in " + home + " is not a genesis validator"))
                .getGrpcAddress();
      }
      io.prosima.proto.v1.NodeBackupResponse r;
      try (io.prosima.node.client.NodeClient c =
          new io.prosima.node.client.NodeClient(address, key, genesis)) {
        r = c.admin().backup(io.prosima.proto.v1.NodeBackupRequest.getDefaultInstance());
      } catch (io.grpc.StatusRuntimeException e) {
        throw CliException.fromStatus(e);
      }
      // The node wrote the file in its home, on this machine; move it where the operator asked.
      java.nio.file.Files.move(Path.of(r.getPath()), out);
      return r.getHeight();
    }
  }

  @Command(
      name = "restore",
      mixinStandardHelpOptions = true,
      description =
          "Restore a backup into a node home that holds genesis.json and node-key.json but no"
              + " data/. The backup is checked (hashes, chain, genesis) before anything is"
              + " written; the node then catches up from its peers when started.")
  static final class Restore implements Callable<Integer> {
    @Option(names = "--file", required = true, description = "Backup file to restore.")
    Path file;

    @Option(names = "--home", required = true, description = "Node home to restore into.")
    Path home;

    @Override
    public Integer call() throws Exception {
      long height;
      try {
        height = NodeBackup.restore(file, home);
      } catch (BackupException | io.prosima.genesis.GenesisException e) {
        throw new CliException(e.getMessage(), e);
      }
      System.out.println("restored " + file + " into " + home + " at height " + height);
      return 0;
    }
  }
}
