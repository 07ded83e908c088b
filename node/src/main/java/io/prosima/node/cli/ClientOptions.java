package io.prosima.node.cli;

import io.prosima.genesis.GenesisException;
import io.prosima.genesis.GenesisFiles;
import io.prosima.genesis.KeyFiles;
import io.prosima.node.client.NodeClient;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.KeyFile;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How a client command reaches a node: the chain's genesis, our key, the node's address. */
final class ClientOptions {
  @Option(names = "--genesis", required = true, description = "The chain's genesis.json.")
  Path genesis;

  @Option(
      names = "--key",
      required = true,
      description = "Our identity key file (authenticates us to the node over mutual TLS).")
  Path key;

  @Option(
      names = "--node",
      description = "Node gRPC address host:port (default: the first validator's).")
  String node;

  Genesis loadGenesis() {
    try {
      return GenesisFiles.read(genesis);
    } catch (GenesisException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  KeyFile loadKey() {
    try {
      return KeyFiles.read(key);
    } catch (GenesisException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  NodeClient connect(Genesis g) {
    String address = node != null ? node : g.getValidators(0).getGrpcAddress();
    try {
      if (g.getValidatorsList().stream().anyMatch(v -> v.getGrpcAddress().equals(address))) {
        return new NodeClient(address, loadKey(), g);
      }
      // Not a genesis validator's address: it may be a validator that joined on chain. Its key
      // is learned from the validator changes a genesis validator proves (from genesis on).
      java.util.Set<com.google.protobuf.ByteString> keys = new java.util.HashSet<>();
      try (NodeClient first = new NodeClient(g.getValidators(0).getGrpcAddress(), loadKey(), g)) {
        var followed = io.prosima.node.client.ValidatorSetFollower.follow(g, first);
        if (followed.problem() != null) {
          throw new CliException("validator changes do not verify: " + followed.problem());
        }
        keys.addAll(followed.sets().keysFrom(0));
      } catch (io.grpc.StatusRuntimeException e) {
        throw CliException.fromStatus(e);
      }
      return new NodeClient(address, loadKey(), keys);
    } catch (java.security.GeneralSecurityException | javax.net.ssl.SSLException e) {
      throw new CliException("cannot set up TLS to " + address + ": " + e.getMessage(), e);
    }
  }
}
