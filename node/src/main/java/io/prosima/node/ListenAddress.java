package io.prosima.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;

/**
 * Binds one of the node's listeners and turns a failure (address in use, not an address of this
 * machine, a host name that does not resolve) into one line naming the address and the config key
 * that chose it, instead of a stack trace from deep in Netty.
 */
final class ListenAddress {
  /** Binds a listener on a resolved address. */
  interface Binder<T> {
    T bind(InetSocketAddress address) throws IOException, GeneralSecurityException;
  }

  /** A listener that could not be bound; the message is the whole story. */
  static final class ListenException extends IOException {
    private static final long serialVersionUID = 1L;

    ListenException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private ListenAddress() {}

  /**
   * @param key the config key of this listener (p2pListen, grpcListen, metricsListen)
   * @param configured the configured host:port, or null when unset
   * @param fallbackName where the address comes from when unset ("genesis p2p_address")
   * @param fallback the address used when unset
   */
  static <T> T bind(
      String key, String configured, String fallbackName, String fallback, Binder<T> b)
      throws IOException, GeneralSecurityException {
    String hostPort = configured != null ? configured : fallback;
    String why = configured != null ? key : key + " unset, so " + fallbackName;
    InetSocketAddress address;
    try {
      address = LedgerNode.address(hostPort);
    } catch (IllegalArgumentException e) {
      throw new ListenException(
          "cannot listen on '" + hostPort + "' (" + why + "): " + e.getMessage(), e);
    }
    if (address.isUnresolved()) {
      throw new ListenException(
          "cannot listen on " + hostPort + " (" + why + "): host name does not resolve", null);
    }
    try {
      return b.bind(address);
    } catch (ListenException e) {
      throw e;
    } catch (IOException e) {
      throw new ListenException(
          "cannot listen on " + hostPort + " (" + why + "): " + rootMessage(e), e);
    }
  }

  /**
   * Checks before anything is opened or written that the address can be bound, by binding it and
   * letting go at once; the real bind follows within the same start. Same errors as {@link #bind}.
   */
  static void probe(String key, String configured, String fallbackName, String fallback)
      throws IOException, GeneralSecurityException {
    bind(
        key,
        configured,
        fallbackName,
        fallback,
        a -> {
          // Port 0 too: it still tells whether the host part is an address of this machine.
          try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            // As the listeners do: a port in TIME_WAIT from a previous run is not "in use".
            s.setReuseAddress(true);
            s.bind(a);
          }
          return a;
        });
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage() != null ? root.getMessage() : root.toString();
    // Netty's native transport prefixes the OS error; the NIO one does not. Say it one way.
    return m.replaceFirst("^bind\\(\\.\\.\\) failed: ", "");
  }
}
