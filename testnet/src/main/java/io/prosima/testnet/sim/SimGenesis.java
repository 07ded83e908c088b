package io.prosima.testnet.sim;

import io.prosima.genesis.GenesisBuilder;
import io.prosima.genesis.GenesisException;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.KeyFile;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;

/**
 * The simulated chain's genesis, made by the same builder as {@code prosima genesis init}: the
 * Barabási–Albert overlay over regions, validator and hospital keys. Keys and overlay come from a
 * generator seeded with the validator count only, so a failing seed replays with the same chain;
 * the voting weights are the scenario's (equal, or unequal to stress weighted quorums), set over
 * the builder's.
 */
record SimGenesis(Genesis genesis, List<KeyFile> validatorKeys, List<KeyFile> clientKeys) {
  static final String CHAIN_ID = "prosima-sim";

  /** Simulated genesis time; node clocks start here. */
  static final long GENESIS_TIME_MS = 1_700_000_000_000L;

  static final int HOSPITALS = 4;

  static SimGenesis build(long[] weights) {
    int n = weights.length;
    GenesisBuilder.Result r;
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(
          ("prosima-sim-genesis-" + n).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      r =
          new GenesisBuilder()
              .chainId(CHAIN_ID)
              .validators(n)
              .regions(Math.max(1, n / 3))
              .clients(HOSPITALS, 0, 0)
              .equalWeights(true)
              .topologySeed(n)
              .basePort(20_000)
              .genesisTimeMs(GENESIS_TIME_MS)
              .build(random);
    } catch (NoSuchAlgorithmException | GenesisException e) {
      throw new IllegalStateException("simulated genesis: " + e.getMessage(), e);
    }
    Genesis.Builder g = r.genesis().toBuilder();
    for (int i = 0; i < n; i++) {
      g.setValidators(i, g.getValidators(i).toBuilder().setVotingWeight(weights[i]));
    }
    return new SimGenesis(g.build(), r.validatorKeys(), r.clientKeys());
  }
}
