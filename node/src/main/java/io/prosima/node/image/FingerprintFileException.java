package io.prosima.node.image;

import java.io.IOException;

/** A fingerprint file that is missing, malformed or not self-consistent; nothing of it is used. */
public final class FingerprintFileException extends IOException {
  private static final long serialVersionUID = 1L;

  public FingerprintFileException(String message) {
    super(message);
  }
}
