package io.prosima.p2p;

/**
 * The node's answer to what a neighbour handed it, returned by {@link P2pHandler}: p2p cannot check
 * signatures or certificates, so it acts only on this.
 */
public enum Verdict {
  /**
   * Valid as far as the node can tell now. A gossip body is relayed onward only after this; synced
   * blocks count in the sending neighbour's favour.
   */
  ACCEPT,
  /**
   * Malformed, badly signed, stale or otherwise unwanted. A gossip body is not relayed (it stays in
   * the seen window, so copies from other neighbours are not offered again); synced blocks cost the
   * sending neighbour sync score.
   */
  REFUSE,
  /**
   * Taken, but not to be relayed as it came: the node passes on itself what it keeps of it (a
   * transaction batch: only the transactions admission took). Copies from other neighbours are not
   * offered again.
   */
  TAKEN
}
