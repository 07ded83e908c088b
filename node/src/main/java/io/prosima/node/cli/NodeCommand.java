package io.prosima.node.cli;

import io.prosima.node.LedgerNode;
import io.prosima.node.NodeConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    node.close();
                    stopped.countDown();
                  }));
      System.out.println(
          "node "
              + node.self().getName()
              + " running; gRPC port "
              + node.grpcPort()
              + (node.metricsPort() > 0 ? "; metrics on port " + node.metricsPort() : ""));
      System.out.flush();
      stopped.await();
      return 0;
    }
  }
}
