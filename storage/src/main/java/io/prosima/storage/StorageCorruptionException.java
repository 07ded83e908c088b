package io.prosima.storage;

/**
 * Stored data failed its check after being read (checksum, length or cross-reference). The node
 * must stop rather than serve a wrong answer; the message says where, never what the data was.
 */
public final class StorageCorruptionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageCorruptionException(String message) {
    super(message);
  }

  public StorageCorruptionException(String message, Throwable cause) {
    super(message, cause);
  }
}
