package io.prosima.imaging.crypto;

/**
 * A wrapped data key could not be opened: wrong recipient key, altered wrapped bytes, or a grant
 * presented for another chain, image or grantee.
 */
public final class KeyUnwrapException extends Exception {
  private static final long serialVersionUID = 1L;

  public KeyUnwrapException(String message) {
    super(message);
  }

  public KeyUnwrapException(String message, Throwable cause) {
    super(message, cause);
  }
}
