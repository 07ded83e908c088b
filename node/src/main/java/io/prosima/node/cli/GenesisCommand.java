package io.prosima.node.cli;

import io.prosima.consensus.execution.StateHash;
import io.prosima.genesis.ChainLayout;
import io.prosima.genesis.GenesisAssembler;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.genesis.GenesisException;
import io.prosima.genesis.GenesisFiles;
import io.prosima.genesis.MemberCards;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.MemberCard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `prosima genesis init` (a local chain: genesis and every key on this machine), `genesis assemble`
 * (a consortium's genesis from the sites' public cards) and `genesis hash`.
 */
@Command(
    name = "genesis",
    mixinStandardHelpOptions = true,
    description = "Create a chain.",
    subcommands = {
      GenesisCommand.Init.class,
      GenesisCommand.Assemble.class,
      GenesisCommand.Hash.class
    })
final class GenesisCommand {
  /** The hash every site compares: the genesis state hash, which block 1's header carries. */
  static String hashHex(Genesis genesis) {
    return HexFormat.of().formatHex(StateHash.genesis(genesis));
  }

  @Command(
      name = "assemble",
      mixinStandardHelpOptions = true,
      description = {
        "Build genesis.json from the members' public cards (made by keys generate).",
        "Every site that runs it with the same cards (in any order) and the same options gets"
            + " the same file; compare genesis hash before starting."
      })
  static final class Assemble implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--chain-id", required = true, description = "Chain id.")
    String chainId;

    @Option(
        names = "--member",
        required = true,
        arity = "1..*",
        description = "A member's NAME.public.json (repeat, or list several).")
    List<Path> members;

    @Option(
        names = "--genesis-time",
        required = true,
        description =
            "Genesis time agreed by the consortium, ISO-8601 UTC (e.g. 2027-01-15T09:00:00Z);"
                + " the chain makes no block before it.")
    String genesisTime;

    @Option(
        names = "--topology-seed",
        required = true,
        description =
            "Seed of the overlay graph, agreed once all cards are in (with degree weighting it"
                + " decides voting weights, so it is never derived from the members' keys).")
    long topologySeed;

    @Option(
        names = "--weighting",
        defaultValue = "degree",
        description = "Voting weights: degree (overlay degree, capped below 1/3) or equal.")
    String weighting;

    @Option(
        names = "--block-bytes-max",
        defaultValue = "" + GenesisBuilder.DEFAULT_BLOCK_BYTES_MAX,
        description = "Largest block in bytes (consensus.block_bytes_max; default 2 MiB).")
    long blockBytesMax;

    @Option(names = "--out", required = true, description = "The genesis file to write.")
    Path out;

    @Override
    public Integer call() throws IOException {
      if (!weighting.equals("degree") && !weighting.equals("equal")) {
        throw new CliException("--weighting must be degree or equal");
      }
      long timeMs;
      try {
        timeMs = Instant.parse(genesisTime).toEpochMilli();
      } catch (DateTimeParseException e) {
        throw new CliException(
            "--genesis-time must be an ISO-8601 UTC time like 2027-01-15T09:00:00Z, not '"
                + genesisTime
                + "'");
      }
      if (Files.exists(out)) {
        throw new CliException(out + " already exists; refusing to overwrite");
      }
      try {
        List<MemberCard> cards = new ArrayList<>();
        for (Path m : members) {
          cards.add(MemberCards.read(m));
        }
        Genesis genesis =
            new GenesisAssembler(chainId, timeMs, topologySeed)
                .equalWeights(weighting.equals("equal"))
                .blockBytesMax(blockBytesMax)
                .assemble(cards);
        GenesisFiles.write(out, genesis);
        spec.commandLine()
            .getOut()
            .println(
                "wrote "
                    + out
                    + ": chain "
                    + chainId
                    + ", "
                    + genesis.getValidatorsCount()
                    + " validators in "
                    + genesis.getRegionsCount()
                    + " regions, "
                    + genesis.getClientsCount()
                    + " clients; genesis hash "
                    + hashHex(genesis));
        return 0;
      } catch (GenesisException e) {
        throw new CliException(e.getMessage(), e);
      }
    }
  }

  @Command(
      name = "hash",
      mixinStandardHelpOptions = true,
      description =
          "Print the genesis hash (hex) the chain uses: every site must see the same before"
              + " starting.")
  static final class Hash implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--genesis", required = true, description = "The genesis.json to hash.")
    Path genesis;

    @Override
    public Integer call() {
      try {
        spec.commandLine().getOut().println(hashHex(GenesisFiles.read(genesis)));
        return 0;
      } catch (GenesisException e) {
        throw new CliException(e.getMessage(), e);
      }
    }
  }

  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description =
          "Local testnet: write genesis.json, one node home per validator (with its key) and"
              + " client key files, every key made here. Across sites use keys generate and"
              + " genesis assemble.")
  static final class Init implements Callable<Integer> {
    @Option(names = "--validators", defaultValue = "1", description = "Number of validators.")
    int validators;

    @Option(names = "--regions", defaultValue = "1", description = "Number of regions.")
    int regions;

    @Option(names = "--hospitals", defaultValue = "2", description = "Hospital identities.")
    int hospitals;

    @Option(names = "--auditors", defaultValue = "1", description = "Auditor identities.")
    int auditors;

    @Option(names = "--admins", defaultValue = "1", description = "Admin identities.")
    int admins;

    @Option(names = "--chain-id", defaultValue = "prosima-local", description = "Chain id.")
    String chainId;

    @Option(
        names = "--base-port",
        defaultValue = "26600",
        description =
            "First port on 127.0.0.1; validator i uses base+2i (p2p) and base+2i+1 (gRPC).")
    int basePort;

    @Option(
        names = "--weighting",
        defaultValue = "degree",
        description = "Voting weights: degree (overlay degree, capped below 1/3) or equal.")
    String weighting;

    @Option(
        names = "--block-bytes-max",
        defaultValue = "" + GenesisBuilder.DEFAULT_BLOCK_BYTES_MAX,
        description = "Largest block in bytes (consensus.block_bytes_max; default 2 MiB).")
    long blockBytesMax;

    @Option(names = "--topology-seed", description = "Seed of the overlay graph (default: random).")
    Long topologySeed;

    @Option(names = "--out", required = true, description = "Directory to write the chain into.")
    Path out;

    @Override
    public Integer call() throws IOException {
      try {
        if (!weighting.equals("degree") && !weighting.equals("equal")) {
          throw new CliException("--weighting must be degree or equal");
        }
        GenesisBuilder builder = new GenesisBuilder().equalWeights(weighting.equals("equal"));
        if (topologySeed != null) {
          builder.topologySeed(topologySeed);
        }
        GenesisBuilder.Result chain =
            builder
                .chainId(chainId)
                .validators(validators)
                .regions(regions)
                .clients(hospitals, auditors, admins)
                .basePort(basePort)
                .blockBytesMax(blockBytesMax)
                .build(new SecureRandom());
        ChainLayout.write(out, chain);
        System.out.println("wrote " + out.resolve(ChainLayout.GENESIS_FILE));
        chain
            .validatorKeys()
            .forEach(
                k ->
                    System.out.println(
                        "validator " + k.getName() + ": home " + ChainLayout.nodeHome(out, k)));
        chain
            .clientKeys()
            .forEach(
                k ->
                    System.out.println(
                        "client "
                            + k.getName()
                            + ": key "
                            + ChainLayout.clientKey(out, k.getName())));
        return 0;
      } catch (GenesisException e) {
        throw new CliException(e.getMessage(), e);
      }
    }
  }
}
