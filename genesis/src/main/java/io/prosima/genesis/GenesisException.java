package io.prosima.genesis;

/** A genesis or key file that cannot be used, with the reason in one line. */
public final class GenesisException extends Exception {
  private static final long serialVersionUID = 1L;

  public GenesisException(String message) {
    super(message);
  }

  public GenesisException(String message, Throwable cause) {
    super(message, cause);
  }
}
