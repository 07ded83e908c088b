package io.prosima.genesis;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.ConsensusParams;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.Identity;
import io.prosima.proto.v1.MemberCard;
import io.prosima.proto.v1.Region;
import io.prosima.proto.v1.Validator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a genesis from the members' public cards, and nothing else: no clock, no randomness, no
 * file order. Every site that runs it on the same cards (in any order) and the same parameters gets
 * the same genesis, byte for byte. Validators are listed in {@link NameOrder} of their names,
 * clients by role (hospital, auditor, admin) then name, regions by name. The overlay is the
 * Barabási–Albert graph of {@link OverlayTopology} from the topology seed.
 *
 * <p>The seed is a parameter, never derived from the members' keys: with degree weighting it
 * decides voting weights, and a seed derived from keys would let the last site to make its key try
 * many keys until one gives it a well-connected place. The consortium fixes it once all cards are
 * in.
 */
public final class GenesisAssembler {
  private final String chainId;
  private final long genesisTimeMs;
  private final long topologySeed;
  private boolean equalWeights;
  private long blockBytesMax = GenesisBuilder.DEFAULT_BLOCK_BYTES_MAX;

  /**
   * @param genesisTimeMs agreed by the consortium, never read from a site's clock: the first block
   *     must be later, so a time in the future holds the chain back until then
   * @param topologySeed seed of the Barabási–Albert overlay, recorded in genesis
   */
  public GenesisAssembler(String chainId, long genesisTimeMs, long topologySeed) {
    this.chainId = chainId;
    this.genesisTimeMs = genesisTimeMs;
    this.topologySeed = topologySeed;
  }

  /** Voting weight 1 for every validator instead of its overlay degree. */
  public GenesisAssembler equalWeights(boolean v) {
    equalWeights = v;
    return this;
  }

  /** consensus.block_bytes_max: the largest block, in canonical bytes. */
  public GenesisAssembler blockBytesMax(long v) {
    blockBytesMax = v;
    return this;
  }

  /**
   * The genesis of these members, checked by {@link GenesisRules}. Refuses (naming the member) a
   * card that is malformed or whose signature fails, a name or key used twice, and a set without
   * validators.
   */
  public Genesis assemble(List<MemberCard> members) throws GenesisException {
    Set<String> names = new HashSet<>();
    Set<ByteString> keys = new HashSet<>();
    List<MemberCard> validators = new ArrayList<>();
    List<MemberCard> clients = new ArrayList<>();
    for (MemberCard m : members) {
      String problem = MemberCards.problem(m);
      if (problem != null) {
        throw new GenesisException("member '" + m.getName() + "': " + problem);
      }
      if (!names.add(m.getName())) {
        throw new GenesisException("member name '" + m.getName() + "' appears twice");
      }
      if (!keys.add(m.getEd25519PublicKey()) || !keys.add(m.getX25519PublicKey())) {
        throw new GenesisException(
            "member '" + m.getName() + "' has a public key another member already has");
      }
      (m.getRole().equals(MemberCards.VALIDATOR) ? validators : clients).add(m);
    }
    if (validators.isEmpty()) {
      throw new GenesisException(
          "none of the " + members.size() + " members is a validator; a chain needs at least one");
    }
    validators.sort(Comparator.comparing(MemberCard::getName, NameOrder.INSTANCE));
    clients.sort(
        Comparator.comparingInt((MemberCard m) -> MemberCards.ROLES.indexOf(m.getRole()))
            .thenComparing(MemberCard::getName, NameOrder.INSTANCE));

    Genesis.Builder g =
        Genesis.newBuilder()
            .setChainId(chainId)
            .setGenesisTimeMs(genesisTimeMs)
            .setConsensus(
                ConsensusParams.newBuilder()
                    .setBlockTxsMax(GenesisBuilder.DEFAULT_BLOCK_TXS_MAX)
                    .setBlockBytesMax(blockBytesMax)
                    .setBlockIntervalMs(GenesisBuilder.DEFAULT_BLOCK_INTERVAL_MS)
                    .setTxBytesMax(GenesisBuilder.DEFAULT_TX_BYTES_MAX)
                    .setTxExpiryHeightsMax(GenesisBuilder.DEFAULT_TX_EXPIRY_HEIGHTS_MAX));
    Set<String> regions = new TreeSet<>(NameOrder.INSTANCE);
    Map<String, String> regionOf = new LinkedHashMap<>();
    for (MemberCard v : validators) {
      regions.add(v.getRegion());
      regionOf.put(v.getName(), v.getRegion());
    }
    regions.forEach(r -> g.addRegions(Region.newBuilder().setName(r)));
    if (topologySeed < 0) {
      throw new GenesisException("the topology seed must not be negative");
    }
    var overlay = OverlayTopology.build(regionOf, topologySeed);
    var weights =
        OverlayTopology.degreeWeights(OverlayTopology.degrees(regionOf.keySet(), overlay));
    g.addAllOverlay(overlay)
        .setTopologySeed(topologySeed)
        .setWeighting(equalWeights ? OverlayRules.EQUAL : OverlayRules.DEGREE);
    for (MemberCard v : validators) {
      g.addValidators(
          Validator.newBuilder()
              .setName(v.getName())
              .setPublicKey(v.getEd25519PublicKey())
              .setEncryptionKey(v.getX25519PublicKey())
              .setRegion(v.getRegion())
              .setP2PAddress(v.getP2PAddress())
              .setGrpcAddress(v.getGrpcAddress())
              .setVotingWeight(equalWeights ? 1 : weights.get(v.getName())));
    }
    for (MemberCard c : clients) {
      g.addClients(
          Identity.newBuilder()
              .setName(c.getName())
              .setPublicKey(c.getEd25519PublicKey())
              .setEncryptionKey(c.getX25519PublicKey())
              .setRole(MemberCards.clientRole(c.getRole())));
    }
    Genesis genesis = g.build();
    GenesisRules.check(genesis);
    return genesis;
  }
}
