package io.prosima.node;

import com.google.protobuf.ByteString;
import io.prosima.consensus.mempool.Mempool;
import io.prosima.genesis.ChainLayout;
import io.prosima.genesis.GenesisException;
import io.prosima.genesis.GenesisFiles;
import io.prosima.genesis.KeyFiles;
import io.prosima.node.grpc.GrpcServer;
import io.prosima.node.ledger.ConsensusDriver;
import io.prosima.node.ledger.LedgerCore;
import io.prosima.node.ledger.TxAdmission;
import io.prosima.node.metrics.NodeMetrics;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Validator;
import io.prosima.storage.RocksDbLedgerStore;
import io.prosima.storage.StorageException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running validator: store, admission, consensus, the p2p overlay and the gRPC endpoint. */
public final class LedgerNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LedgerNode.class);
  public static final String DATA_DIR = "data";
  public static final String LEDGER_DIR = "ledger";

  private final Validator self;
  private final RocksDbLedgerStore store;
  private final LedgerCore core;
  private final TxAdmission admission;
  private final ConsensusDriver consensus;
  private final GrpcServer grpc;
  private final NodeMetrics metrics;

  private LedgerNode(NodeConfig config, Clock clock)
      throws GenesisException, StorageException, IOException, GeneralSecurityException {
    Path home = config.home();
    Genesis genesis = GenesisFiles.read(home.resolve(ChainLayout.GENESIS_FILE));
    KeyFile key = KeyFiles.read(home.resolve(ChainLayout.NODE_KEY_FILE));
    this.self =
        genesis.getValidatorsList().stream()
            .filter(v -> v.getPublicKey().equals(key.getEd25519PublicKey()))
            .findFirst()
            .orElseThrow(
                () -> new GenesisException("node key in " + home + " is not a genesis validator"));
    config.check(genesis.getConsensus().getBlockTxsMax());
    this.store = RocksDbLedgerStore.open(home.resolve(DATA_DIR).resolve(LEDGER_DIR));
    try {
      this.core =
          new LedgerCore(
              genesis, store, new Mempool(config.mempoolTxsMax(), config.mempoolBytesMax()));
      this.metrics = new NodeMetrics(core);
      core.setEvents(metrics);
      if (config.metricsListen() != null) {
        metrics.serve(address(config.metricsListen()));
      }
      this.admission = new TxAdmission(core, config.verifyThreads());
      this.consensus =
          new ConsensusDriver(
              core, admission, key, ConsensusDriver.bftConfig(genesis.getChainId()), clock);
      metrics.watchConsensus(consensus);
      Set<ByteString> chainKeys = new HashSet<>();
      genesis.getValidatorsList().forEach(v -> chainKeys.add(v.getPublicKey()));
      genesis.getClientsList().forEach(c -> chainKeys.add(c.getPublicKey()));
      this.grpc =
          new GrpcServer(
              address(config.grpcListen() != null ? config.grpcListen() : self.getGrpcAddress()),
              key,
              // Genesis identities, plus identities registered on chain since.
              k ->
                  chainKeys.contains(k)
                      || store.state(io.prosima.consensus.execution.StateKeys.identity(k)) != null,
              core,
              admission,
              config);
    } catch (RuntimeException | IOException | GeneralSecurityException e) {
      store.close();
      throw e;
    }
    consensus.start();
    log.info(
        "node {} serving gRPC on port {}, chain {} at height {}",
        self.getName(),
        grpc.port(),
        genesis.getChainId(),
        store.height());
  }

  public static LedgerNode start(NodeConfig config)
      throws GenesisException, StorageException, IOException, GeneralSecurityException {
    return new LedgerNode(config, Clock.systemUTC());
  }

  /** Port of the metrics endpoint, or -1 when it is off. */
  public int metricsPort() {
    return metrics.port();
  }

  public int grpcPort() {
    return grpc.port();
  }

  public LedgerCore core() {
    return core;
  }

  public Validator self() {
    return self;
  }

  static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("address must be host:port, got '" + hostPort + "'");
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("address must be host:port, got '" + hostPort + "'");
    }
    return new InetSocketAddress(hostPort.substring(0, colon), port);
  }

  @Override
  public void close() {
    grpc.close();
    consensus.close();
    admission.close();
    metrics.close();
    store.close();
    log.info("node {} stopped", self.getName());
  }
}
