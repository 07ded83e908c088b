package io.prosima.imaging.crypto;

/**
 * An encrypted tile did not authenticate: wrong data key, altered bytes, or a tile presented for
 * another chain, image or tile position. No plaintext is ever returned in that case.
 */
public final class TileAuthenticationException extends Exception {
  private static final long serialVersionUID = 1L;

  public TileAuthenticationException(String message) {
    super(message);
  }

  public TileAuthenticationException(String message, Throwable cause) {
    super(message, cause);
  }
}
