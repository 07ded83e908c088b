package io.prosima.imaging.erasure;

/**
 * Fewer than r valid, mutually consistent fragments were offered, so the data cannot be rebuilt.
 */
public final class InsufficientFragmentsException extends Exception {
  private static final long serialVersionUID = 1L;

  public InsufficientFragmentsException(String message) {
    super(message);
  }
}
