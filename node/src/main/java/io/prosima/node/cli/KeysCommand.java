package io.prosima.node.cli;

import io.prosima.genesis.GenesisException;
import io.prosima.genesis.MemberCards;
import io.prosima.genesis.SiteLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `prosima keys generate`: one site's key, made on the site; only its public card leaves. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Make a site's keys.",
    subcommands = {KeysCommand.Generate.class})
final class KeysCommand {
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = {
        "Write a new key file (mode 0600) and its public card NAME.public.json into --out, and"
            + " print the card: send it to the consortium, keep the key file on this machine.",
        "A validator's --out is its node home (node-key.json; put the assembled genesis.json"
            + " beside it and run node start --home DIR); a client's key is NAME.key.json."
      })
  static final class Generate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--name", required = true, description = "Member name, unique in the chain.")
    String name;

    @Option(
        names = "--role",
        required = true,
        description = "validator, hospital, auditor or admin.")
    String role;

    @Option(names = "--out", required = true, description = "Directory to write into.")
    Path out;

    @Option(names = "--region", description = "Validators only: the validator's region.")
    String region;

    @Option(
        names = "--p2p-address",
        description = "Validators only: host:port other validators reach this node's p2p at.")
    String p2pAddress;

    @Option(
        names = "--grpc-address",
        description = "Validators only: host:port clients reach this node's gRPC at.")
    String grpcAddress;

    @Override
    public Integer call() throws IOException {
      if (!MemberCards.ROLES.contains(role)) {
        throw new CliException(
            "--role must be validator, hospital, auditor or admin, not '" + role + "'");
      }
      boolean validator = role.equals(MemberCards.VALIDATOR);
      if (validator && (region == null || p2pAddress == null || grpcAddress == null)) {
        throw new CliException("a validator needs --region, --p2p-address and --grpc-address");
      }
      if (!validator && (region != null || p2pAddress != null || grpcAddress != null)) {
        throw new CliException(
            "--region, --p2p-address and --grpc-address are for validators, not a " + role);
      }
      try {
        SiteLayout.Generated g =
            SiteLayout.generate(
                out,
                name,
                role,
                validator ? region : "",
                validator ? p2pAddress : "",
                validator ? grpcAddress : "",
                new SecureRandom());
        // The card alone on stdout (it can be redirected to a file); where things went on stderr.
        spec.commandLine().getOut().print(MemberCards.json(g.card()));
        spec.commandLine().getOut().flush();
        spec.commandLine()
            .getErr()
            .println(
                "wrote "
                    + g.keyFile()
                    + " (private, mode 0600: keep it here) and "
                    + g.cardFile()
                    + " (public: send it to the consortium)");
        return 0;
      } catch (GenesisException e) {
        throw new CliException(e.getMessage(), e);
      }
    }
  }
}
