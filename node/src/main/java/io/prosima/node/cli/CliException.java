package io.prosima.node.cli;

import io.grpc.StatusRuntimeException;

/** An operating error a command reports as one line (no stack trace). */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CliException(String message) {
    super(message);
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
  }

  /** One line for a failed gRPC call: its status and the innermost cause's message. */
  static CliException fromStatus(StatusRuntimeException e) {
    StringBuilder line = new StringBuilder("node call failed: ").append(e.getStatus().getCode());
    if (e.getStatus().getDescription() != null) {
      line.append(": ").append(e.getStatus().getDescription());
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    if (root != e && root.getMessage() != null) {
      line.append(" (").append(root.getMessage()).append(')');
    }
    return new CliException(line.toString(), e);
  }
}
