package io.prosima.node.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

class ConnectionRetryTest {
  @Test
  void onlyTransportFailuresAreSentAgain() {
    assertTrue(ConnectionRetry.transientFailure(Status.UNAVAILABLE.asRuntimeException()));
    assertTrue(ConnectionRetry.transientFailure(Status.DEADLINE_EXCEEDED.asRuntimeException()));
    // An answer from the node is never a reason to resend: the benchmark would hide a refusal.
    assertFalse(ConnectionRetry.transientFailure(Status.INVALID_ARGUMENT.asRuntimeException()));
    assertFalse(ConnectionRetry.transientFailure(Status.PERMISSION_DENIED.asRuntimeException()));
    assertFalse(ConnectionRetry.transientFailure(Status.RESOURCE_EXHAUSTED.asRuntimeException()));
  }
}
