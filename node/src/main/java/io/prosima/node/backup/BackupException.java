package io.prosima.node.backup;

/**
 * A backup or restore refused for an operating reason (a file that is missing, corrupt, for another
 * chain, or a target that already holds data). The message is one line for the operator; nothing
 * was changed on disk.
 */
public class BackupException extends Exception {
  private static final long serialVersionUID = 1L;

  public BackupException(String message) {
    super(message);
  }

  public BackupException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The database is held by a running node: ask that node for the backup instead. */
  public static final class DatabaseInUse extends BackupException {
    private static final long serialVersionUID = 1L;

    DatabaseInUse(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
