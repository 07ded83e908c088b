package io.prosima.testnet.sim;

/** A checker found a violation; the message names the seed that replays it. */
public final class SimulationFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SimulationFailure(long seed, String what) {
    super(what + " [seed=" + seed + "; replay with -Dprosima.sim.seed=" + seed + "]");
  }
}
