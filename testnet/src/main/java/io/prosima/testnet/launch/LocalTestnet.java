package io.prosima.testnet.launch;

import io.grpc.StatusRuntimeException;
import io.prosima.genesis.ChainLayout;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.genesis.GenesisException;
import io.prosima.genesis.GenesisFiles;
import io.prosima.genesis.KeyFiles;
import io.prosima.node.client.NodeClient;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.StatusRequest;
import io.prosima.proto.v1.StatusResponse;
import io.prosima.proto.v1.Validator;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A chain of N validators on 127.0.0.1, one child JVM each ({@code prosima node start}).
 *
 * <p>Layout (that of {@code prosima genesis init --out DIR}): DIR/genesis.json,
 * DIR/clients/NAME.key.json and one home per validator, DIR/validator-i/ with genesis.json,
 * node-key.json, data/, plus what the launcher adds: node.log (stdout and stderr, appended across
 * restarts) and node.pid (while the node runs).
 *
 * <p>Ports, from the base port B (the first validator's p2p port in genesis): validator i has p2p
 * B+2i and gRPC B+2i+1 (both from genesis) and metrics B+2N+i (given to the node with {@code
 * --metrics-listen}). So a testnet uses the 3N ports B..B+3N-1.
 *
 * <p>Node processes are independent of the JVM that started them: they outlive it, and any
 * LocalTestnet opened on the same DIR (another JVM, {@code prosima testnet down}) finds them
 * through their pid files. A pid is only ever signalled after checking that it is a java process
 * whose command line names that validator's home, so a recycled pid is never killed.
 *
 * <p>Methods are synchronized; one LocalTestnet per DIR and process is the intended use.
 */
public final class LocalTestnet {
  public static final String LOG_FILE = "node.log";
  public static final String PID_FILE = "node.pid";

  /** Heap of each node JVM unless {@link #setJvmOptions} says otherwise. */
  public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx512m");

  /** Environment variable with extra JVM options for node processes. */
  public static final String NODE_JAVA_OPTS_ENV = "PROSIMA_NODE_JAVA_OPTS";

  /** The node main class run in each child JVM. */
  public static final String NODE_MAIN = "io.prosima.node.cli.ProsimaCli";

  /** The first argument of every node JVM: names its home, so we can recognise our processes. */
  static final String HOME_MARKER = "-Dprosima.testnet.home=";

  static final Duration STOP_GRACE = Duration.ofSeconds(10);
  static final Duration CALL_DEADLINE = Duration.ofSeconds(2);

  private final Path dir;
  private final Genesis genesis;
  private final int basePort;
  private List<String> jvmOptions = DEFAULT_JVM_OPTIONS;
  // Validators this object started and did not stop since: awaitReady waits for them even if
  // they already died (so an early crash is reported, not skipped).
  private final java.util.Set<Integer> started = new java.util.TreeSet<>();

  private LocalTestnet(Path dir, Genesis genesis) {
    this.dir = dir;
    this.genesis = genesis;
    this.basePort = port(genesis.getValidators(0).getP2PAddress());
    int last = metricsPort(genesis.getValidatorsCount() - 1);
    if (last > 65535) {
      throw new LaunchException(
          "base port "
              + basePort
              + " leaves no room for the metrics ports of "
              + genesis.getValidatorsCount()
              + " validators (up to "
              + last
              + ")");
    }
  }

  /**
   * A testnet in {@code dir}: writes a new chain there (as {@code prosima genesis init} with its
   * default clients: hospital-0, hospital-1, auditor-0, admin-0) if dir is missing or empty, or
   * reuses the chain already there if its validator count, region count and base port are the ones
   * asked for. Refuses a non-empty dir without genesis.json. Starts nothing.
   */
  public static LocalTestnet create(Path dir, int validators, int regions, int basePort) {
    return create(dir, validators, regions, basePort, 2);
  }

  /** As {@link #create(Path, int, int, int)} with {@code hospitals} hospital clients. */
  public static LocalTestnet create(
      Path dir, int validators, int regions, int basePort, int hospitals) {
    return create(
        dir, validators, regions, basePort, hospitals, GenesisBuilder.DEFAULT_BLOCK_BYTES_MAX);
  }

  /** As above with the genesis block byte cap {@code blockBytesMax}. */
  public static LocalTestnet create(
      Path dir, int validators, int regions, int basePort, int hospitals, long blockBytesMax) {
    Path root = dir.toAbsolutePath().normalize();
    if (Files.exists(root.resolve(ChainLayout.GENESIS_FILE))) {
      LocalTestnet existing = open(root);
      Genesis g = existing.genesis;
      if (g.getValidatorsCount() != validators
          || g.getRegionsCount() != regions
          || existing.basePort != basePort) {
        throw new LaunchException(
            root
                + " already holds a chain of "
                + g.getValidatorsCount()
                + " validators in "
                + g.getRegionsCount()
                + " regions at base port "
                + existing.basePort
                + "; ask for those or use a new directory");
      }
      return existing;
    }
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new LaunchException(root + " is not a directory");
    }
    if (validators >= 1 && basePort + 3 * validators - 1 > 65535) {
      throw new LaunchException(
          "base port " + basePort + " leaves no room for " + validators + " validators");
    }
    try {
      if (Files.isDirectory(root)) {
        try (Stream<Path> entries = Files.list(root)) {
          if (entries.findAny().isPresent()) {
            throw new LaunchException(
                root
                    + " is not empty and holds no "
                    + ChainLayout.GENESIS_FILE
                    + "; use an empty or new directory, or one made by `prosima testnet up`");
          }
        }
      }
      // What `prosima genesis init` does with its defaults.
      GenesisBuilder.Result chain =
          new GenesisBuilder()
              .chainId("prosima-local")
              .validators(validators)
              .regions(regions)
              .clients(hospitals, 1, 1)
              .basePort(basePort)
              .blockBytesMax(blockBytesMax)
              .build(new SecureRandom());
      Files.createDirectories(root);
      ChainLayout.write(root, chain);
    } catch (GenesisException e) {
      throw new LaunchException(e.getMessage(), e);
    } catch (IOException e) {
      throw new LaunchException("cannot write the chain into " + root + ": " + e.getMessage(), e);
    }
    return open(root);
  }

  /** The testnet already in {@code dir} (for status, stop, restart). */
  public static LocalTestnet open(Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    Path file = root.resolve(ChainLayout.GENESIS_FILE);
    if (!Files.exists(file)) {
      throw new LaunchException("no testnet in " + root + " (no " + ChainLayout.GENESIS_FILE + ")");
    }
    try {
      Genesis g = GenesisFiles.read(file);
      if (g.getValidatorsCount() == 0) {
        throw new LaunchException(file + " has no validators");
      }
      return new LocalTestnet(root, g);
    } catch (GenesisException e) {
      throw new LaunchException(e.getMessage(), e);
    }
  }

  /** The lowest port Linux hands out to outgoing connections (ip_local_port_range). */
  static final int EPHEMERAL_PORT_MIN = 32_768;

  /**
   * A base port B such that the 3·validators ports B..B+3·validators-1 are free on 127.0.0.1 right
   * now (for tests and benchmarks; another process may still take one before the nodes start).
   */
  public static int freeBasePort(int validators) {
    int span = 3 * validators;
    for (int attempt = 0; attempt < 200; attempt++) {
      // Below Linux's ephemeral range (32768 and up): a port there can be taken by any outgoing
      // connection between this check and the node's bind.
      int base = ThreadLocalRandom.current().nextInt(20_000, EPHEMERAL_PORT_MIN - span);
      boolean free = true;
      for (int p = base; p < base + span && free; p++) {
        free = portFree("127.0.0.1", p);
      }
      if (free) {
        return base;
      }
    }
    throw new LaunchException("found no " + span + " consecutive free ports on 127.0.0.1");
  }

  /** JVM options of node processes started from now on (default {@link #DEFAULT_JVM_OPTIONS}). */
  public synchronized void setJvmOptions(List<String> options) {
    this.jvmOptions = List.copyOf(options);
  }

  public Path dir() {
    return dir;
  }

  public Genesis genesis() {
    return genesis;
  }

  public int validators() {
    return genesis.getValidatorsCount();
  }

  public int basePort() {
    return basePort;
  }

  public Path home(int i) {
    return dir.resolve(validator(i).getName());
  }

  public Path log(int i) {
    return home(i).resolve(LOG_FILE);
  }

  public String grpcEndpoint(int i) {
    return validator(i).getGrpcAddress();
  }

  public String p2pEndpoint(int i) {
    return validator(i).getP2PAddress();
  }

  /** 127.0.0.1:(base + 2N + i); serves /metrics over plain HTTP. */
  public String metricsEndpoint(int i) {
    validator(i);
    return "127.0.0.1:" + metricsPort(i);
  }

  /** Key file of a genesis client (hospital-0, hospital-1, auditor-0, admin-0 by default). */
  public Path clientKeyFile(String name) {
    return ChainLayout.clientKey(dir, name);
  }

  public KeyFile clientKey(String name) {
    try {
      return KeyFiles.read(clientKeyFile(name));
    } catch (GenesisException e) {
      throw new LaunchException(e.getMessage(), e);
    }
  }

  /** Names of the genesis clients whose key files are in DIR/clients, in genesis order. */
  public List<String> clientNames() {
    return genesis.getClientsList().stream()
        .map(c -> c.getName())
        .filter(n -> Files.exists(clientKeyFile(n)))
        .collect(Collectors.toList());
  }

  /** Starts every validator that is not running yet. */
  public synchronized void startAll() {
    for (int i = 0; i < validators(); i++) {
      if (running(i).isEmpty()) {
        start(i);
      }
    }
  }

  /**
   * Starts validator i in a child JVM ({@code node start --home DIR/validator-i --metrics-listen
   * 127.0.0.1:B+2N+i}); returns once the process exists (see {@link #awaitReady}). Refuses if it
   * already runs or one of its ports is taken.
   */
  public synchronized void start(int i) {
    Path home = home(i);
    Optional<ProcessHandle> running = running(i);
    if (running.isPresent()) {
      throw new LaunchException(
          validator(i).getName() + " is already running (pid " + running.get().pid() + ")");
    }
    checkPortFree(i, "gRPC", grpcEndpoint(i));
    checkPortFree(i, "p2p", p2pEndpoint(i));
    checkPortFree(i, "metrics", metricsEndpoint(i));
    List<String> command = nodeCommand(home, metricsEndpoint(i));
    Path log = log(i);
    try {
      Files.writeString(
          log,
          (endsWithNewline(log) ? "" : "\n")
              + "=== "
              + Instant.now()
              + " prosima testnet: starting "
              + validator(i).getName()
              + "\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      Process p =
          new ProcessBuilder(command)
              .directory(home.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      Path tmp = home.resolve(PID_FILE + ".tmp");
      Files.writeString(tmp, p.pid() + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, home.resolve(PID_FILE), StandardCopyOption.ATOMIC_MOVE);
      started.add(i);
    } catch (IOException e) {
      throw new LaunchException(
          "cannot start " + validator(i).getName() + ": " + e.getMessage() + "; see " + log, e);
    }
  }

  /** The command line of a node process over {@code home}. */
  private List<String> nodeCommand(Path home, String metricsEndpoint) {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.add(HOME_MARKER + home);
    command.addAll(jvmOptions);
    // A node that ran out of memory in some thread must not limp on half-working: it exits, and
    // its WAL and store bring it back consistent on restart.
    command.add("-XX:+ExitOnOutOfMemoryError");
    // Extra options for every node process (profiling, GC logs), split on spaces.
    String extra = System.getenv(NODE_JAVA_OPTS_ENV);
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    String prosimaHome = System.getProperty("prosima.home");
    if (prosimaHome != null) {
      command.add("-Dprosima.home=" + prosimaHome);
    }
    command.addAll(
        List.of(
            "-cp",
            classPath(),
            NODE_MAIN,
            "node",
            "start",
            "--home",
            home.toString(),
            "--metrics-listen",
            metricsEndpoint));
    return command;
  }

  /**
   * Starts the node of a validator that is not in genesis (one that joins on chain, issue 17) over
   * its own {@code home} (genesis, its key and its join file), logging to home/node.log. The caller
   * stops the returned process.
   */
  public synchronized Process startJoiner(Path home, String metricsEndpoint) {
    Path log = home.resolve(LOG_FILE);
    try {
      return new ProcessBuilder(nodeCommand(home, metricsEndpoint))
          .directory(home.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new LaunchException("cannot start the node in " + home + ": " + e.getMessage(), e);
    }
  }

  /**
   * Waits until every validator started through this object (and every other running one) answers
   * GetStatus over mutual TLS. Fails at once, naming the node and its log, if one has exited; fails
   * after {@code timeout} otherwise.
   */
  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Integer> waiting = new ArrayList<>();
    synchronized (this) {
      for (int i = 0; i < validators(); i++) {
        if (started.contains(i) || running(i).isPresent()) {
          waiting.add(i);
        }
      }
    }
    if (waiting.isEmpty()) {
      throw new LaunchException("no validator of " + dir + " is running");
    }
    String[] lastError = new String[validators()];
    // One client per node for all attempts: on a loaded machine a fresh TLS handshake per attempt
    // could miss every call deadline while the node was fine (7 validators on 2 busy cores).
    Map<Integer, NodeClient> clients = new HashMap<>();
    try {
      awaitReady(deadline, waiting, lastError, clients, timeout);
    } finally {
      clients.values().forEach(NodeClient::close);
    }
  }

  private void awaitReady(
      long deadline,
      List<Integer> waiting,
      String[] lastError,
      Map<Integer, NodeClient> clients,
      Duration timeout) {
    while (!waiting.isEmpty()) {
      for (var it = waiting.iterator(); it.hasNext(); ) {
        int i = it.next();
        if (running(i).isEmpty()) {
          throw new LaunchException(
              validator(i).getName() + " exited before it was ready; see " + log(i) + tail(i));
        }
        String error = readyError(i, clients);
        if (error == null) {
          it.remove();
        } else {
          lastError[i] = error;
        }
      }
      if (waiting.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        int i = waiting.get(0);
        throw new LaunchException(
            validator(i).getName()
                + " not ready after "
                + timeout.toSeconds()
                + " s (gRPC "
                + grpcEndpoint(i)
                + ": "
                + lastError[i]
                + "); see "
                + log(i)
                + tail(i));
      }
      sleep(100);
    }
  }

  /** One line per validator: process, endpoints, height and tip (asks running nodes). */
  public List<NodeStatus> status() {
    List<NodeStatus> out = new ArrayList<>();
    for (int i = 0; i < validators(); i++) {
      long pid = readPid(i);
      boolean alive = running(i).isPresent();
      long height = -1;
      String tip = "down";
      if (alive) {
        try (NodeClient c = client(i)) {
          StatusResponse s =
              c.query()
                  .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                  .getStatus(StatusRequest.getDefaultInstance());
          height = s.getHeight();
          tip = HexFormat.of().formatHex(s.getLastBlockId().toByteArray());
        } catch (StatusRuntimeException e) {
          tip = "unreachable: " + e.getStatus().getCode();
        }
      }
      out.add(
          new NodeStatus(
              i,
              validator(i).getName(),
              pid,
              alive,
              grpcEndpoint(i),
              p2pEndpoint(i),
              metricsEndpoint(i),
              height,
              tip,
              log(i)));
    }
    return out;
  }

  /** SIGKILL (no shutdown hooks, no flush); returns once the process is gone. No-op if down. */
  public synchronized void kill(int i) {
    running(i).ifPresent(p -> forceAndWait(i, p));
    deletePidFile(i);
  }

  /** SIGTERM, then SIGKILL if the node has not exited after 10 s. No-op if down. */
  public synchronized void stop(int i) {
    running(i)
        .ifPresent(
            p -> {
              p.destroy();
              if (!awaitExit(p, STOP_GRACE)) {
                forceAndWait(i, p);
              }
            });
    deletePidFile(i);
  }

  /** Stops every validator (SIGTERM to all at once, SIGKILL to those still up after 10 s). */
  public synchronized void stopAll() {
    List<Integer> signalled = new ArrayList<>();
    for (int i = 0; i < validators(); i++) {
      Optional<ProcessHandle> p = running(i);
      if (p.isPresent()) {
        p.get().destroy();
        signalled.add(i);
      }
    }
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    for (int i : signalled) {
      Optional<ProcessHandle> p = running(i);
      if (p.isPresent()) {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!awaitExit(p.get(), Duration.ofNanos(left))) {
          forceAndWait(i, p.get());
        }
      }
    }
    for (int i = 0; i < validators(); i++) {
      deletePidFile(i);
    }
  }

  /** The live process of validator i, if its pid file names one that is really that node. */
  public Optional<ProcessHandle> running(int i) {
    long pid = readPid(i);
    if (pid <= 0) {
      return Optional.empty();
    }
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    if (p.isEmpty() || !p.get().isAlive() || !isNodeProcess(p.get(), home(i))) {
      return Optional.empty();
    }
    return p;
  }

  /**
   * A client of validator i over mutual TLS, as the first genesis client (hospital-0 by default);
   * the caller closes it.
   */
  public NodeClient client(int i) {
    List<String> names = clientNames();
    if (names.isEmpty()) {
      throw new LaunchException("no client key files in " + dir.resolve(ChainLayout.CLIENTS_DIR));
    }
    return client(i, names.get(0));
  }

  /** A client of validator i authenticated as genesis client {@code clientName}. */
  public NodeClient client(int i, String clientName) {
    try {
      NodeClient c = new NodeClient(grpcEndpoint(i), clientKey(clientName), genesis);
      c.channel().getState(true); // start connecting now
      return c;
    } catch (java.security.GeneralSecurityException | javax.net.ssl.SSLException e) {
      throw new LaunchException(
          "cannot set up TLS to " + validator(i).getName() + ": " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private Validator validator(int i) {
    if (i < 0 || i >= genesis.getValidatorsCount()) {
      throw new IllegalArgumentException(
          "no validator " + i + " (the testnet has " + genesis.getValidatorsCount() + ")");
    }
    return genesis.getValidators(i);
  }

  private int metricsPort(int i) {
    return basePort + 2 * genesis.getValidatorsCount() + i;
  }

  /** null if ready, else why not. */
  private String readyError(int i, Map<Integer, NodeClient> clients) {
    String address = grpcEndpoint(i);
    int colon = address.lastIndexOf(':');
    // A gRPC channel backs off after refused connects, so wait for the port before calling.
    try (Socket s = new Socket()) {
      s.connect(
          new InetSocketAddress(address.substring(0, colon), port(address)),
          (int) CALL_DEADLINE.toMillis());
    } catch (IOException e) {
      return "port not open: " + e.getMessage();
    }
    NodeClient c = clients.computeIfAbsent(i, this::client);
    try {
      c.query()
          .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
          .getStatus(StatusRequest.getDefaultInstance());
      return null;
    } catch (StatusRuntimeException e) {
      return "GetStatus failed: " + e.getStatus().getCode() + " " + e.getMessage();
    }
  }

  private void checkPortFree(int i, String what, String address) {
    int colon = address.lastIndexOf(':');
    if (!portFree(address.substring(0, colon), port(address))) {
      throw new LaunchException(
          "cannot start "
              + validator(i).getName()
              + ": its "
              + what
              + " port "
              + address
              + " is in use (another testnet or a stray node?)");
    }
  }

  private static boolean portFree(String host, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int port(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try {
      return Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw new LaunchException("not a host:port address in genesis: '" + hostPort + "'");
    }
  }

  private long readPid(int i) {
    Path file = home(i).resolve(PID_FILE);
    try {
      return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  private void deletePidFile(int i) {
    started.remove(i);
    try {
      Files.deleteIfExists(home(i).resolve(PID_FILE));
    } catch (IOException e) {
      throw new LaunchException("cannot delete " + home(i).resolve(PID_FILE), e);
    }
  }

  private void forceAndWait(int i, ProcessHandle p) {
    p.destroyForcibly(); // SIGKILL on Linux
    if (!awaitExit(p, STOP_GRACE)) {
      throw new LaunchException(
          validator(i).getName() + " (pid " + p.pid() + ") did not exit after SIGKILL");
    }
  }

  private static boolean awaitExit(ProcessHandle p, Duration timeout) {
    try {
      p.onExit().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return !p.isAlive();
    } catch (ExecutionException e) {
      return !p.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LaunchException("interrupted while waiting for pid " + p.pid() + " to exit", e);
    }
  }

  /** A java process whose command line carries our home marker for {@code home}. */
  static boolean isNodeProcess(ProcessHandle p, Path home) {
    List<String> args = commandLine(p);
    if (args.isEmpty()) {
      return false;
    }
    String exe = Path.of(args.get(0)).getFileName().toString();
    return (exe.equals("java") || exe.equals("java.exe")) && args.contains(HOME_MARKER + home);
  }

  private static List<String> commandLine(ProcessHandle p) {
    Path proc = Path.of("/proc", Long.toString(p.pid()), "cmdline");
    if (Files.isReadable(proc)) {
      try {
        String raw = Files.readString(proc, StandardCharsets.UTF_8);
        return Arrays.asList(raw.split("\0"));
      } catch (IOException e) {
        return List.of();
      }
    }
    ProcessHandle.Info info = p.info();
    if (info.command().isEmpty() || info.arguments().isEmpty()) {
      return List.of();
    }
    List<String> all = new ArrayList<>();
    all.add(info.command().get());
    all.addAll(Arrays.asList(info.arguments().get()));
    return all;
  }

  private static String javaExecutable() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    if (Files.isExecutable(java)) {
      return java.toString();
    }
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** Our class path with absolute entries, so it works from the node home as working dir. */
  private static String classPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.isEmpty())
        .map(e -> Path.of(e).toAbsolutePath().normalize().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static boolean endsWithNewline(Path file) throws IOException {
    if (!Files.exists(file) || Files.size(file) == 0) {
      return true;
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      f.seek(f.length() - 1);
      return f.read() == '\n';
    }
  }

  /** The last lines of the node's log, indented, for error messages. */
  private String tail(int i) {
    Path log = log(i);
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long len = f.length();
      int n = (int) Math.min(len, 2048);
      byte[] buf = new byte[n];
      f.seek(len - n);
      f.readFully(buf);
      String[] lines = new String(buf, StandardCharsets.UTF_8).split("\n");
      // When we started mid-file, the first line is partial.
      int from = Math.max(n < len ? 1 : 0, lines.length - 5);
      StringBuilder out = new StringBuilder();
      for (int k = from; k < lines.length; k++) {
        if (!lines[k].isBlank()) {
          out.append(out.length() == 0 ? "; it ends with: " : " | ").append(lines[k].strip());
        }
      }
      return out.toString();
    } catch (IOException e) {
      return "";
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LaunchException("interrupted", e);
    }
  }
}
