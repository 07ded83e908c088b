package io.prosima.storage;

/** The store could not be opened or written (I/O, lock held by another process, wrong layout). */
public final class StorageException extends Exception {
  private static final long serialVersionUID = 1L;

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  public StorageException(String message) {
    super(message);
  }
}
