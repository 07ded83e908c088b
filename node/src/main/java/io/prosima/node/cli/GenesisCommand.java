package io.prosima.node.cli;

import io.prosima.genesis.ChainLayout;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.genesis.GenesisException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `prosima genesis init`: a new chain's genesis and every validator's and client's keys. */
@Command(
    name = "genesis",
    mixinStandardHelpOptions = true,
    description = "Create a chain.",
    subcommands = {GenesisCommand.Init.class})
final class GenesisCommand {
  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description =
          "Write genesis.json, one node home per validator (with its key) and client key files.")
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
