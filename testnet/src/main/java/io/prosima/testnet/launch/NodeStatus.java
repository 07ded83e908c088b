package io.prosima.testnet.launch;

/**
 * One validator of a local testnet as seen by {@link LocalTestnet#status()}.
 *
 * @param index the validator's index i (home DIR/validator-i)
 * @param name the validator's name in genesis
 * @param pid the pid in the node's pid file, or -1 if there is none
 * @param alive whether that pid is a live process of this very node (a recycled pid is not)
 * @param grpc gRPC endpoint host:port (mutual TLS)
 * @param p2p p2p endpoint host:port
 * @param metrics Prometheus metrics endpoint host:port (loopback, plain HTTP, path /metrics)
 * @param height committed height, or -1 if the node is down or did not answer
 * @param tip hex id of the last committed block; "down" if the process is not running,
 *     "unreachable: ..." if it runs but did not answer, "" at height 0
 * @param log the node's log file
 */
public record NodeStatus(
    int index,
    String name,
    long pid,
    boolean alive,
    String grpc,
    String p2p,
    String metrics,
    long height,
    String tip,
    java.nio.file.Path log) {
  /** The node runs and answered GetStatus. */
  public boolean up() {
    return alive && height >= 0;
  }
}
