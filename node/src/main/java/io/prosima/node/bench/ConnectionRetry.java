package io.prosima.node.bench;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * When a benchmark client sends a batch again on a new connection: after a transport failure of an
 * overloaded node (a dropped connection, a TLS handshake past its deadline), never after an answer.
 */
final class ConnectionRetry {
  /** Consecutive failed attempts before the benchmark gives up on a node. */
  static final int ATTEMPTS_MAX = 5;

  static final long PAUSE_MS = 1000;

  private ConnectionRetry() {}

  static boolean transientFailure(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
  }
}
