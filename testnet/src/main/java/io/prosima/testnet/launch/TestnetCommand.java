package io.prosima.testnet.launch;

import io.prosima.node.cli.CliException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code prosima testnet up|status|down|start|stop|kill}: a local multi-process testnet. */
@Command(
    name = "testnet",
    mixinStandardHelpOptions = true,
    description =
        "Run a local testnet: one node process per validator on 127.0.0.1 (validator i: p2p"
            + " B+2i, gRPC B+2i+1, metrics B+2N+i for base port B and N validators).",
    subcommands = {
      TestnetCommand.Up.class,
      TestnetCommand.Status.class,
      TestnetCommand.Down.class,
      TestnetCommand.Start.class,
      TestnetCommand.Stop.class,
      TestnetCommand.Kill.class,
    })
public final class TestnetCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Runs a launcher operation; its failures become the CLI's one-line errors. */
  static <T> T launcher(Callable<T> op) throws Exception {
    try {
      return op.call();
    } catch (LaunchException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      description =
          "Create the chain in --dir (or reuse the one there), start every validator that is not"
              + " running and return once all answer; the nodes keep running.")
  static final class Up implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "Testnet directory.")
    Path dir;

    @Option(
        names = "--validators",
        description = "Number of validators (default 4; an existing chain keeps its own).")
    Integer validators;

    @Option(
        names = "--regions",
        description = "Number of regions (default 1; an existing chain keeps its own).")
    Integer regions;

    @Option(
        names = "--base-port",
        description = "First port on 127.0.0.1 (default 26600; an existing chain keeps its own).")
    Integer basePort;

    @Option(
        names = "--timeout",
        defaultValue = "60",
        description = "Seconds to wait for the nodes to answer (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
      return launcher(
          () -> {
            boolean existed =
                java.nio.file.Files.exists(
                    dir.resolve(io.prosima.genesis.ChainLayout.GENESIS_FILE));
            LocalTestnet net;
            if (existed) {
              net = LocalTestnet.open(dir);
              int v = validators != null ? validators : net.validators();
              int r = regions != null ? regions : net.genesis().getRegionsCount();
              int b = basePort != null ? basePort : net.basePort();
              net = LocalTestnet.create(dir, v, r, b); // checks that they match
              System.out.println("reusing the chain in " + net.dir());
            } else {
              net =
                  LocalTestnet.create(
                      dir,
                      validators != null ? validators : 4,
                      regions != null ? regions : 1,
                      basePort != null ? basePort : 26600);
              System.out.println("created a chain in " + net.dir());
            }
            net.startAll();
            net.awaitReady(Duration.ofSeconds(timeoutSeconds));
            for (NodeStatus s : net.status()) {
              System.out.printf(
                  "%s  pid %d  gRPC %s  p2p %s  metrics http://%s/metrics  height %d%n"
                      + "    log %s%n",
                  s.name(), s.pid(), s.grpc(), s.p2p(), s.metrics(), s.height(), s.log());
            }
            System.out.println(
                "genesis "
                    + net.dir().resolve(io.prosima.genesis.ChainLayout.GENESIS_FILE)
                    + "; client keys in "
                    + net.dir().resolve(io.prosima.genesis.ChainLayout.CLIENTS_DIR)
                    + " ("
                    + String.join(", ", net.clientNames())
                    + ")");
            System.out.println(
                "all "
                    + net.validators()
                    + " validators are ready; stop them with `prosima testnet down --dir "
                    + dir
                    + "`");
            return 0;
          });
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "One line per validator: process, height, tip, endpoints.")
  static final class Status implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "Testnet directory.")
    Path dir;

    @Override
    public Integer call() throws Exception {
      return launcher(
          () -> {
            List<NodeStatus> all = LocalTestnet.open(dir).status();
            String format = "%-14s %-8s %-5s %8s  %-21s %-21s %-21s %s%n";
            System.out.printf(
                format, "VALIDATOR", "PID", "STATE", "HEIGHT", "GRPC", "P2P", "METRICS", "TIP");
            for (NodeStatus s : all) {
              System.out.printf(
                  format,
                  s.name(),
                  s.pid() > 0 ? Long.toString(s.pid()) : "-",
                  s.up() ? "up" : s.alive() ? "alive" : "down",
                  s.height() >= 0 ? Long.toString(s.height()) : "-",
                  s.grpc(),
                  s.p2p(),
                  s.metrics(),
                  s.tip().isEmpty() ? "(none)" : s.tip());
            }
            return 0;
          });
    }
  }

  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      description = "Stop every validator (SIGTERM, then SIGKILL after 10 s). Keeps the data.")
  static final class Down implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "Testnet directory.")
    Path dir;

    @Override
    public Integer call() throws Exception {
      return launcher(
          () -> {
            LocalTestnet net = LocalTestnet.open(dir);
            int running = 0;
            for (int i = 0; i < net.validators(); i++) {
              if (net.running(i).isPresent()) {
                running++;
              }
            }
            net.stopAll();
            System.out.println(
                "stopped "
                    + running
                    + " of "
                    + net.validators()
                    + " validators; data and logs stay in "
                    + net.dir());
            return 0;
          });
    }
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = "Start one validator (e.g. after kill) and wait until it answers.")
  static final class Start implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "Testnet directory.")
    Path dir;

    @Option(names = "--node", required = true, description = "Validator index i.")
    int node;

    @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait.")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
      return launcher(
          () -> {
            LocalTestnet net = LocalTestnet.open(dir);
            net.start(node);
            net.awaitReady(Duration.ofSeconds(timeoutSeconds));
            NodeStatus s = net.status().get(node);
            System.out.println(s.name() + " up, pid " + s.pid() + ", height " + s.height());
            return 0;
          });
    }
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stop one validator (SIGTERM, then SIGKILL after 10 s).")
  static final class Stop implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "Testnet directory.")
    Path dir;

    @Option(names = "--node", required = true, description = "Validator index i.")
    int node;

    @Override
    public Integer call() throws Exception {
      return launcher(
          () -> {
            LocalTestnet.open(dir).stop(node);
            System.out.println("validator " + node + " stopped");
            return 0;
          });
    }
  }

  @Command(
      name = "kill",
      mixinStandardHelpOptions = true,
      description = "Kill one validator with SIGKILL (a crash: no shutdown, no flush).")
  static final class Kill implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "Testnet directory.")
    Path dir;

    @Option(names = "--node", required = true, description = "Validator index i.")
    int node;

    @Override
    public Integer call() throws Exception {
      return launcher(
          () -> {
            LocalTestnet.open(dir).kill(node);
            System.out.println("validator " + node + " killed");
            return 0;
          });
    }
  }
}
