package io.prosima.node.cli;

import io.prosima.node.LedgerNode;
import io.prosima.node.NodeConfig;
import io.prosima.node.backup.BackupException;
import io.prosima.node.backup.NodeBackup;
import io.prosima.node.config.ConfigException;
import io.prosima.node.config.ConfigKey;
import io.prosima.node.config.NodeSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `prosima node start|backup|restore`: runs a validator; backs up and restores its database. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = "Run a validator node.",
    subcommands = {
      NodeCommand.Start.class,
      NodeCommand.Backup.class,
      NodeCommand.Restore.class,
      NodeCommand.ExampleConfig.class
    })
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

    @Option(
        names = "--config",
        description =
            "Config file (TOML; every key: prosima node example-config). Default: HOME/node.toml"
                + " when it exists.")
    Path configFile;

    @Option(
        names = "--p2p-listen",
        description =
            "host:port to accept p2p neighbours on (config key p2pListen; default: the genesis"
                + " p2p address, which is what neighbours dial).")
    String p2pListen;

    @Option(
        names = "--grpc-listen",
        description = "host:port to serve gRPC on (grpcListen; default: the genesis gRPC address).")
    String grpcListen;

    @Option(
        names = "--metrics-listen",
        description =
            "Serve Prometheus metrics on this host:port (metricsListen; off by default; loopback"
                + " only unless metricsNonLoopbackAllowed = true).")
    String metricsListen;

    @Option(
        names = "--set",
        paramLabel = "KEY=VALUE",
        description = "Set any config key; overrides the environment and the config file.")
    List<String> settings = new ArrayList<>();

    /** Command-line settings as config key to value; the named options win over --set. */
    Map<String, String> commandLine() {
      Map<String, String> m = new LinkedHashMap<>();
      for (String kv : settings) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new CliException("--set takes KEY=VALUE, got '" + kv + "'");
        }
        m.put(kv.substring(0, eq).strip(), kv.substring(eq + 1));
      }
      if (p2pListen != null) {
        m.put(ConfigKey.P2P_LISTEN.key(), p2pListen);
      }
      if (grpcListen != null) {
        m.put(ConfigKey.GRPC_LISTEN.key(), grpcListen);
      }
      if (metricsListen != null) {
        m.put(ConfigKey.METRICS_LISTEN.key(), metricsListen);
      }
      return m;
    }

    @Override
    public Integer call() throws Exception {
      NodeSettings.Loaded loaded;
      try {
        loaded = NodeSettings.load(home, configFile, System.getenv(), commandLine());
      } catch (ConfigException e) {
        throw new CliException(e.getMessage(), e);
      }
      loaded.warnings().forEach(w -> System.err.println("warning: " + w));
      // Where each setting that is not a default came from: the first thing to check when a node
      // does not listen where the operator expected.
      loaded
          .sources()
          .forEach((k, from) -> System.err.println("config: " + k.key() + " from " + from));
      NodeConfig config = loaded.config();
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
      name = "example-config",
      mixinStandardHelpOptions = true,
      description =
          "Print the commented example config file: every key with its unit, range and default"
              + " (prosima node example-config > HOME/node.toml, then edit).")
  static final class ExampleConfig implements Callable<Integer> {
    static final String RESOURCE = "/node.example.toml";

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws java.io.IOException {
      try (var in = NodeCommand.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new CliException("the example config is missing from this build");
        }
        spec.commandLine()
            .getOut()
            .print(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        spec.commandLine().getOut().flush();
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
