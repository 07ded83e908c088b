package io.prosima.node.fragments;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** A refused fragment request: the gRPC status, a metric label and a message for the client. */
final class FragmentRefusal extends RuntimeException {
  final Status.Code code;
  final String reason;

  FragmentRefusal(Status.Code code, String reason, String message) {
    super(message, null, false, false);
    this.code = code;
    this.reason = reason;
  }

  StatusRuntimeException status() {
    return Status.fromCode(code).withDescription(getMessage()).asRuntimeException();
  }

  static FragmentRefusal invalid(String message) {
    return new FragmentRefusal(Status.Code.INVALID_ARGUMENT, "invalid", message);
  }
}
