package io.prosima.node.config;

/** A node configuration that is refused: one line naming the key and where it came from. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
