package io.prosima.imaging.engine;

import java.io.IOException;

/** The TensorFlow native library could not be unpacked or loaded; the message says why. */
public final class EngineUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  public EngineUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
