package io.prosima.p2p;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts inbound connections that are not authenticated yet, overall and per remote address, so
 * that anyone who can reach the p2p port cannot hold unlimited TLS handshakes open. Thread-safe.
 */
final class PendingHandshakes {
  private final int totalMax;
  private final int perAddressMax;
  private final Map<InetAddress, Integer> byAddress = new HashMap<>();
  private int total;

  PendingHandshakes(int totalMax, int perAddressMax) {
    if (perAddressMax < 1 || totalMax < perAddressMax) {
      throw new IllegalArgumentException("need 1 <= perAddressMax <= totalMax");
    }
    this.totalMax = totalMax;
    this.perAddressMax = perAddressMax;
  }

  /** Takes a slot for a new connection from {@code address}; false when over either cap. */
  synchronized boolean tryAcquire(InetAddress address) {
    int ours = byAddress.getOrDefault(address, 0);
    if (total >= totalMax || ours >= perAddressMax) {
      return false;
    }
    total++;
    byAddress.put(address, ours + 1);
    return true;
  }

  /** Gives back a slot taken by {@link #tryAcquire}; exactly once per slot. */
  synchronized void release(InetAddress address) {
    Integer ours = byAddress.get(address);
    if (ours == null || total < 1) {
      throw new IllegalStateException("released a handshake slot that was not taken");
    }
    total--;
    if (ours == 1) {
      byAddress.remove(address);
    } else {
      byAddress.put(address, ours - 1);
    }
  }

  synchronized int total() {
    return total;
  }
}
