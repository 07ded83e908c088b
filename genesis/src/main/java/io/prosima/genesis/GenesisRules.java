package io.prosima.genesis;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.ConsensusParams;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.Identity;
import io.prosima.proto.v1.Region;
import io.prosima.proto.v1.Role;
import io.prosima.proto.v1.Validator;
import io.prosima.proto.wire.WireLimits;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a genesis before anything uses it. Every rule failure names what is wrong. */
public final class GenesisRules {
  public static final int KEY_BYTES = 32;
  public static final int VALIDATORS_MAX = 256;
  public static final int CLIENTS_MAX = 10_000;
  public static final int BLOCK_TXS_MAX_LIMIT = 100_000;

  /**
   * A block travels in one p2p frame, as a proposal and as a committed block with its certificate:
   * the largest block leaves room for that envelope. A larger block would throw in broadcast and
   * stop consensus on every node.
   */
  public static final long BLOCK_BYTES_MAX_LIMIT =
      WireLimits.FRAME_BYTES_MAX - WireLimits.BLOCK_ENVELOPE_BYTES_MAX;

  public static final long TX_BYTES_MAX_LIMIT = 1L << 20;
  public static final int BLOCK_INTERVAL_MS_MIN = 1;
  public static final int BLOCK_INTERVAL_MS_MAX = 60_000;

  static final Pattern CHAIN_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9.-]{1,253}:[0-9]{1,5}");

  private GenesisRules() {}

  public static void check(Genesis g) throws GenesisException {
    require(CHAIN_ID.matcher(g.getChainId()).matches(), "chain_id must match " + CHAIN_ID);
    require(g.getGenesisTimeMs() > 0, "genesis_time_ms must be set");

    Set<String> regions = new HashSet<>();
    for (Region r : g.getRegionsList()) {
      require(NAME.matcher(r.getName()).matches(), "region name '" + r.getName() + "' is invalid");
      require(regions.add(r.getName()), "region '" + r.getName() + "' is listed twice");
    }
    require(!regions.isEmpty(), "genesis lists no regions");

    int n = g.getValidatorsCount();
    require(n >= 1, "genesis lists no validators");
    require(n <= VALIDATORS_MAX, "more than " + VALIDATORS_MAX + " validators");
    Set<String> names = new HashSet<>();
    Set<ByteString> keys = new HashSet<>();
    Set<String> addresses = new HashSet<>();
    long totalWeight = 0;
    for (Validator v : g.getValidatorsList()) {
      String who = "validator '" + v.getName() + "'";
      require(NAME.matcher(v.getName()).matches(), who + ": name is invalid");
      require(names.add(v.getName()), who + ": name is used twice");
      require(v.getPublicKey().size() == KEY_BYTES, who + ": public_key must be 32 bytes");
      require(v.getEncryptionKey().size() == KEY_BYTES, who + ": encryption_key must be 32 bytes");
      require(keys.add(v.getPublicKey()), who + ": public key is used twice");
      require(regions.contains(v.getRegion()), who + ": unknown region '" + v.getRegion() + "'");
      checkAddress(who + ": p2p_address", v.getP2PAddress(), addresses);
      checkAddress(who + ": grpc_address", v.getGrpcAddress(), addresses);
      require(v.getVotingWeight() > 0, who + ": voting_weight must be positive");
      require(v.getVotingWeight() <= 1_000_000, who + ": voting_weight above 1000000");
      totalWeight += v.getVotingWeight();
    }
    if (n >= 4) {
      // No single validator may hold a third of the weight: one faulty node must not be able to
      // block or (with one more) decide a quorum.
      for (Validator v : g.getValidatorsList()) {
        require(
            3 * v.getVotingWeight() < totalWeight,
            "validator '"
                + v.getName()
                + "' holds "
                + v.getVotingWeight()
                + " of "
                + totalWeight
                + " voting weight, which is not below 1/3");
      }
    }

    String overlayProblem = OverlayRules.problem(g);
    require(overlayProblem == null, overlayProblem);

    require(g.getClientsCount() <= CLIENTS_MAX, "more than " + CLIENTS_MAX + " clients");
    Set<String> clientNames = new HashSet<>();
    for (Identity c : g.getClientsList()) {
      String who = "client '" + c.getName() + "'";
      require(NAME.matcher(c.getName()).matches(), who + ": name is invalid");
      require(clientNames.add(c.getName()), who + ": name is used twice");
      require(c.getPublicKey().size() == KEY_BYTES, who + ": public_key must be 32 bytes");
      require(c.getEncryptionKey().size() == KEY_BYTES, who + ": encryption_key must be 32 bytes");
      require(keys.add(c.getPublicKey()), who + ": public key is already used");
      require(
          c.getRole() == Role.ROLE_HOSPITAL
              || c.getRole() == Role.ROLE_AUDITOR
              || c.getRole() == Role.ROLE_ADMIN,
          who + ": role must be hospital, auditor or admin");
    }

    require(g.hasConsensus(), "consensus parameters are missing");
    ConsensusParams p = g.getConsensus();
    require(
        p.getBlockTxsMax() >= 1 && p.getBlockTxsMax() <= BLOCK_TXS_MAX_LIMIT,
        "consensus.block_txs_max must be in 1.." + BLOCK_TXS_MAX_LIMIT);
    require(
        p.getTxBytesMax() >= 256 && p.getTxBytesMax() <= TX_BYTES_MAX_LIMIT,
        "consensus.tx_bytes_max must be in 256.." + TX_BYTES_MAX_LIMIT);
    require(
        p.getBlockBytesMax() >= p.getTxBytesMax() && p.getBlockBytesMax() <= BLOCK_BYTES_MAX_LIMIT,
        "consensus.block_bytes_max must be in tx_bytes_max.."
            + BLOCK_BYTES_MAX_LIMIT
            + " (a block and its proposal or commit must fit one "
            + WireLimits.FRAME_BYTES_MAX
            + "-byte p2p frame)");
    require(
        p.getBlockIntervalMs() >= BLOCK_INTERVAL_MS_MIN
            && p.getBlockIntervalMs() <= BLOCK_INTERVAL_MS_MAX,
        "consensus.block_interval_ms must be in "
            + BLOCK_INTERVAL_MS_MIN
            + ".."
            + BLOCK_INTERVAL_MS_MAX);
    require(
        p.getTxExpiryHeightsMax() >= 1 && p.getTxExpiryHeightsMax() <= 1_000_000,
        "consensus.tx_expiry_heights_max must be in 1..1000000");
  }

  private static void checkAddress(String what, String address, Set<String> seen)
      throws GenesisException {
    require(ADDRESS.matcher(address).matches(), what + " must be host:port, got '" + address + "'");
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    require(port >= 1 && port <= 65535, what + ": port out of range");
    require(seen.add(address), what + ": address '" + address + "' is used twice");
  }

  private static void require(boolean ok, String message) throws GenesisException {
    if (!ok) {
      throw new GenesisException("invalid genesis: " + message);
    }
  }
}
