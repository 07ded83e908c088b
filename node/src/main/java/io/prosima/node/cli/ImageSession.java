package io.prosima.node.cli;

import io.prosima.node.client.NodeClient;
import io.prosima.node.image.ChainNodes;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Validator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What an image command holds open: the chain's validators (one connection each), the node it
 * submits and queries through, the region it sits in, and threads for parallel fragment calls.
 */
final class ImageSession implements AutoCloseable {
  /** Parallel fragment calls (one per node at a time is typical; more for directory ingest). */
  static final int CALL_THREADS = 32;

  /** How long a validator may take to answer before the next one is tried as entry point. */
  static final long PROBE_DEADLINE_MS = 3_000;

  final Genesis genesis;
  final KeyFile key;
  final ChainNodes nodes;
  final NodeClient via;
  final String region;
  final ExecutorService calls;

  ImageSession(ClientOptions client, String regionOption) {
    this.genesis = client.loadGenesis();
    this.key = client.loadKey();
    this.nodes = new ChainNodes(genesis, key);
    Validator entry =
        client.node != null ? entryValidator(genesis, client.node) : firstReachable(genesis);
    this.via = nodes.client(entry.getPublicKey());
    this.region = regionOption != null ? regionOption : entry.getRegion();
    this.calls =
        Executors.newFixedThreadPool(
            CALL_THREADS,
            r -> {
              Thread t = new Thread(r, "image-calls");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Without --node: the first validator (genesis order) that answers, so a command still works with
   * validators down; the first one if none answers (the command then reports why).
   */
  private Validator firstReachable(Genesis genesis) {
    for (Validator v : genesis.getValidatorsList()) {
      try {
        nodes
            .client(v.getPublicKey())
            .query()
            .withDeadlineAfter(PROBE_DEADLINE_MS, java.util.concurrent.TimeUnit.MILLISECONDS)
            .getStatus(io.prosima.proto.v1.StatusRequest.getDefaultInstance());
        return v;
      } catch (io.grpc.StatusRuntimeException e) {
        // down or refusing: try the next one
      }
    }
    return genesis.getValidators(0);
  }

  /** The validator named by --node (its gRPC address or name). */
  private static Validator entryValidator(Genesis genesis, String address) {
    if (address == null) {
      return genesis.getValidators(0);
    }
    return genesis.getValidatorsList().stream()
        .filter(v -> v.getGrpcAddress().equals(address) || v.getName().equals(address))
        .findFirst()
        .orElseThrow(
            () ->
                new CliException(
                    "--node " + address + " is not a validator's gRPC address or name"));
  }

  @Override
  public void close() {
    calls.shutdownNow();
    nodes.close();
  }
}
