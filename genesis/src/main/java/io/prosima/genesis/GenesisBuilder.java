package io.prosima.genesis;

import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.MemberCard;
import io.prosima.proto.v1.Role;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates a new local chain (`genesis init`): the private keys of every validator and client, made
 * on this machine, and a genesis assembled from their public cards by {@link GenesisAssembler}, as
 * a consortium's would be. Validators are spread round-robin over the regions and get ports on
 * 127.0.0.1 from {@code basePort} (p2p at basePort + 2i, gRPC at basePort + 2i + 1).
 */
public final class GenesisBuilder {
  /** Default consensus parameters; each is checked against GenesisRules' limits on load. */
  public static final int DEFAULT_BLOCK_TXS_MAX = 5_000;

  /**
   * 2 MiB: about 1,070 ImageAnchors (1.95 KB) or the 5,000-tx count cap of AccessLogs. A height's
   * round-0 timeouts (propose 3 s, prevote and precommit 1 s) must cover the worst honest case: a
   * validator that holds none of the proposal's transactions fetches, verifies and executes them
   * all. Measured under load on the 2-core machine this costs up to about 0.7 ms of wall time per
   * anchor for each of four validators sharing the cores, so 1,070 anchors take about 0.75 s, a
   * quarter of the propose timeout. The previous 8 MiB (4,300 anchors, about 3 s) outlived round 0
   * under a flood: one 4,270-tx height reached round 3.
   */
  public static final long DEFAULT_BLOCK_BYTES_MAX = 2L << 20;

  public static final int DEFAULT_BLOCK_INTERVAL_MS = 100;
  public static final long DEFAULT_TX_BYTES_MAX = 64 << 10;
  public static final long DEFAULT_TX_EXPIRY_HEIGHTS_MAX = 10_000;

  private String chainId = "prosima-local";
  private long blockBytesMax = DEFAULT_BLOCK_BYTES_MAX;
  private int validators = 1;
  private int regions = 1;
  private int hospitals = 2;
  private int auditors = 1;
  private int admins = 1;
  private int basePort = 26600;
  private String host = "127.0.0.1";
  private long genesisTimeMs = System.currentTimeMillis();
  private boolean equalWeights;
  private Long topologySeed;

  /** Voting weight 1 for every validator instead of its overlay degree. */
  public GenesisBuilder equalWeights(boolean v) {
    equalWeights = v;
    return this;
  }

  /** Seed of the Barabási–Albert overlay (default: a fresh random one, recorded in genesis). */
  public GenesisBuilder topologySeed(long v) {
    topologySeed = v;
    return this;
  }

  /** consensus.block_bytes_max: the largest block, in canonical bytes. */
  public GenesisBuilder blockBytesMax(long v) {
    this.blockBytesMax = v;
    return this;
  }

  public GenesisBuilder chainId(String v) {
    chainId = v;
    return this;
  }

  public GenesisBuilder validators(int v) {
    validators = v;
    return this;
  }

  public GenesisBuilder regions(int v) {
    regions = v;
    return this;
  }

  public GenesisBuilder clients(int hospitals, int auditors, int admins) {
    this.hospitals = hospitals;
    this.auditors = auditors;
    this.admins = admins;
    return this;
  }

  public GenesisBuilder basePort(int v) {
    basePort = v;
    return this;
  }

  public GenesisBuilder genesisTimeMs(long v) {
    genesisTimeMs = v;
    return this;
  }

  /** The genesis and, in the same order as they appear in it, validator keys then client keys. */
  public record Result(Genesis genesis, List<KeyFile> validatorKeys, List<KeyFile> clientKeys) {}

  public Result build(SecureRandom random) throws GenesisException {
    if (validators < 1 || validators > GenesisRules.VALIDATORS_MAX) {
      throw new GenesisException("--validators must be in 1.." + GenesisRules.VALIDATORS_MAX);
    }
    if (regions < 1 || regions > validators) {
      throw new GenesisException("--regions must be in 1..validators (" + validators + ")");
    }
    if (hospitals < 0 || auditors < 0 || admins < 0) {
      throw new GenesisException("client counts must not be negative");
    }
    if (basePort < 1024 || basePort + 2 * validators > 65535) {
      throw new GenesisException("--base-port leaves no room for " + validators + " validators");
    }
    long seed = topologySeed != null ? topologySeed : random.nextLong() & Long.MAX_VALUE;
    // The same path as a consortium's genesis: keys first, then only their public cards assembled.
    List<KeyFile> validatorKeys = new ArrayList<>();
    List<MemberCard> cards = new ArrayList<>();
    for (int i = 0; i < validators; i++) {
      KeyFile key = KeyGenerator.newKey("validator-" + i, Role.ROLE_UNSPECIFIED, true, random);
      validatorKeys.add(key);
      cards.add(
          MemberCards.of(
              key,
              "region-" + (i % regions),
              host + ":" + (basePort + 2 * i),
              host + ":" + (basePort + 2 * i + 1)));
    }
    List<KeyFile> clientKeys = new ArrayList<>();
    addClients(clientKeys, cards, "hospital", Role.ROLE_HOSPITAL, hospitals, random);
    addClients(clientKeys, cards, "auditor", Role.ROLE_AUDITOR, auditors, random);
    addClients(clientKeys, cards, "admin", Role.ROLE_ADMIN, admins, random);
    Genesis genesis =
        new GenesisAssembler(chainId, genesisTimeMs, seed)
            .equalWeights(equalWeights)
            .blockBytesMax(blockBytesMax)
            .assemble(cards);
    return new Result(genesis, validatorKeys, clientKeys);
  }

  private static void addClients(
      List<KeyFile> keys,
      List<MemberCard> cards,
      String prefix,
      Role role,
      int count,
      SecureRandom random)
      throws GenesisException {
    for (int i = 0; i < count; i++) {
      KeyFile key = KeyGenerator.newKey(prefix + "-" + i, role, false, random);
      keys.add(key);
      cards.add(MemberCards.of(key, "", "", ""));
    }
  }
}
