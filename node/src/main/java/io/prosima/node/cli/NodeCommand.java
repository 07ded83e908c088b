package io.prosima.node.cli;

import io.prosima.node.LedgerNode;
import io.prosima.node.NodeConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `prosima node start`: runs a validator until stopped. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = "Run a validator node.",
    subcommands = {NodeCommand.Start.class})
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
}
