package io.prosima.consensus.execution;

import io.prosima.proto.v1.RefusalCode;

/** Why a transaction was refused: a stable code for programs and a message for people. */
public record Refusal(RefusalCode code, String message) {
  public Refusal {
    if (code == RefusalCode.REFUSAL_NONE || code == RefusalCode.UNRECOGNIZED) {
      throw new IllegalArgumentException("a refusal needs a real code");
    }
  }

  public static Refusal of(RefusalCode code, String message) {
    return new Refusal(code, message);
  }

  @Override
  public String toString() {
    return code.name() + ": " + message;
  }
}
