package io.prosima.node.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.StatusRuntimeException;
import io.prosima.genesis.GenesisException;
import io.prosima.genesis.GenesisFiles;
import io.prosima.genesis.KeyFiles;
import io.prosima.genesis.MemberCards;
import io.prosima.genesis.ValidatorChanges;
import io.prosima.genesis.ValidatorSets;
import io.prosima.node.client.NodeClient;
import io.prosima.node.client.TxSigner;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.GetValidatorsRequest;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.OverlayEdge;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.StatusRequest;
import io.prosima.proto.v1.SubmitRequest;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.Validator;
import io.prosima.proto.v1.ValidatorApproval;
import io.prosima.proto.v1.ValidatorChange;
import io.prosima.proto.v1.ValidatorChangeBody;
import io.prosima.proto.wire.Ed25519Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `prosima validator …`: change the validator set on chain (issue 17). A change is written to a
 * file by one site ({@code propose-add}, {@code propose-remove}, {@code propose-edges}), passed to
 * the other validators' sites, each of which adds its signed approval ({@code approve}), and
 * submitted by a validator once approvals hold more than 2/3 of the weight ({@code submit}). It
 * takes effect {@link ValidatorSets#ACTIVATION_DELAY_HEIGHTS} heights after it commits. The joining
 * site puts the approved change in its node home as join.json and starts its node.
 */
@Command(
    name = "validator",
    mixinStandardHelpOptions = true,
    description = "Add, remove or re-weight validators by approved transactions.",
    subcommands = {
      ValidatorCommand.ProposeAdd.class,
      ValidatorCommand.ProposeRemove.class,
      ValidatorCommand.ProposeEdges.class,
      ValidatorCommand.Approve.class,
      ValidatorCommand.Submit.class,
      ValidatorCommand.Show.class
    })
final class ValidatorCommand {
  /** Change files are small JSON documents; anything larger is refused unread. */
  static final long CHANGE_FILE_BYTES_MAX = 256 << 10;

  private ValidatorCommand() {}

  static ValidatorChange read(Path file) {
    try {
      if (Files.size(file) > CHANGE_FILE_BYTES_MAX) {
        throw new CliException(file + " is larger than " + CHANGE_FILE_BYTES_MAX + " bytes");
      }
      ValidatorChange.Builder b = ValidatorChange.newBuilder();
      JsonFormat.parser().merge(Files.readString(file, StandardCharsets.UTF_8), b);
      return b.build();
    } catch (InvalidProtocolBufferException e) {
      throw new CliException(file + " is not a validator change: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  static void write(Path file, ValidatorChange change) {
    try {
      Files.writeString(file, JsonFormat.printer().print(change) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  static OverlayEdge edge(String spec) {
    String[] parts = spec.split(",", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new CliException("an edge is NAME,NAME; got '" + spec + "'");
    }
    return OverlayEdge.newBuilder().setA(parts[0]).setB(parts[1]).build();
  }

  /** Options every proposal shares: the chain, the sequence, edges and the output file. */
  static final class Proposal {
    @Option(names = "--genesis", required = true, description = "The chain's genesis.json.")
    Path genesis;

    @Option(
        names = "--sequence",
        required = true,
        description = "Number of validator changes applied so far (see `validator show`).")
    long sequence;

    @Option(names = "--add-edge", description = "Overlay edge to add, NAME,NAME (repeatable).")
    List<String> addEdges = new ArrayList<>();

    @Option(
        names = "--remove-edge",
        description = "Overlay edge to remove, NAME,NAME (repeatable).")
    List<String> removeEdges = new ArrayList<>();

    @Option(names = "--out", required = true, description = "Where to write the change (JSON).")
    Path out;

    Genesis loadGenesis() {
      try {
        return GenesisFiles.read(genesis);
      } catch (GenesisException e) {
        throw new CliException(e.getMessage(), e);
      }
    }

    ValidatorChangeBody.Builder body() {
      ValidatorChangeBody.Builder b = ValidatorChangeBody.newBuilder().setSequence(sequence);
      addEdges.forEach(e -> b.addAddEdges(edge(e)));
      removeEdges.forEach(e -> b.addRemoveEdges(edge(e)));
      return b;
    }

    int finish(ValidatorChangeBody body) {
      write(out, ValidatorChange.newBuilder().setBody(body).build());
      System.out.println(
          "wrote change "
              + sequence
              + " to "
              + out
              + "; each validator approves it (`prosima validator approve`), then one submits it");
      return 0;
    }
  }

  @Command(
      name = "propose-add",
      mixinStandardHelpOptions = true,
      description = "Write a change that adds the validator of a public card.")
  static final class ProposeAdd implements Callable<Integer> {
    @Mixin Proposal proposal;

    @Option(names = "--card", required = true, description = "The new site's NAME.public.json.")
    Path card;

    @Option(
        names = "--link",
        required = true,
        description = "A current validator to link the new one to (repeatable; 2-connected!).")
    List<String> links;

    @Override
    public Integer call() {
      Validator joining;
      try {
        joining = ValidatorChanges.joining(MemberCards.read(card));
      } catch (GenesisException e) {
        throw new CliException(e.getMessage(), e);
      }
      ValidatorChangeBody.Builder b = proposal.body().setAdd(joining);
      for (String l : links) {
        b.addAddEdges(OverlayEdge.newBuilder().setA(joining.getName()).setB(l));
      }
      return proposal.finish(b.build());
    }
  }

  @Command(
      name = "propose-remove",
      mixinStandardHelpOptions = true,
      description = "Write a change that removes a validator (and its overlay edges).")
  static final class ProposeRemove implements Callable<Integer> {
    @Mixin Proposal proposal;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Who who;

    static final class Who {
      @Option(names = "--name", description = "A genesis validator's name.")
      String name;

      @Option(names = "--card", description = "The leaving validator's public card.")
      Path card;
    }

    @Override
    public Integer call() {
      ByteString key;
      if (who.card != null) {
        try {
          key = MemberCards.read(who.card).getEd25519PublicKey();
        } catch (GenesisException e) {
          throw new CliException(e.getMessage(), e);
        }
      } else {
        key =
            proposal.loadGenesis().getValidatorsList().stream()
                .filter(v -> v.getName().equals(who.name))
                .findFirst()
                .orElseThrow(
                    () -> new CliException("no genesis validator named '" + who.name + "'"))
                .getPublicKey();
      }
      return proposal.finish(proposal.body().setRemove(key).build());
    }
  }

  @Command(
      name = "propose-edges",
      mixinStandardHelpOptions = true,
      description =
          "Write a change that only moves overlay edges (under degree weighting: a re-weight).")
  static final class ProposeEdges implements Callable<Integer> {
    @Mixin Proposal proposal;

    @Override
    public Integer call() {
      return proposal.finish(proposal.body().build());
    }
  }

  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description = "Add this validator's signed approval to a change file (in place).")
  static final class Approve implements Callable<Integer> {
    @Option(names = "--genesis", required = true, description = "The chain's genesis.json.")
    Path genesis;

    @Option(names = "--change", required = true, description = "The change file.")
    Path change;

    @Option(names = "--key", required = true, description = "This site's validator key file.")
    Path key;

    @Override
    public Integer call() {
      Genesis g;
      KeyFile k;
      try {
        g = GenesisFiles.read(genesis);
        k = KeyFiles.read(key);
      } catch (GenesisException e) {
        throw new CliException(e.getMessage(), e);
      }
      if (!k.getValidator()) {
        throw new CliException(key + " is not a validator key");
      }
      ValidatorChange c = read(change);
      byte[] message = ValidatorChanges.approvalBytes(g.getChainId(), c.getBody());
      List<ValidatorApproval> kept = new ArrayList<>();
      for (ValidatorApproval a : c.getApprovalsList()) {
        if (a.getValidator().equals(k.getEd25519PublicKey())) {
          continue; // replaced by this approval
        }
        if (!Ed25519Keys.verify(
            a.getValidator().toByteArray(), message, a.getSignature().toByteArray())) {
          throw new CliException(
              "an approval in "
                  + change
                  + " does not verify for this change (validator "
                  + HexFormat.of().formatHex(a.getValidator().substring(0, 4).toByteArray())
                  + "); the file was altered");
        }
        kept.add(a);
      }
      kept.add(ValidatorChanges.approve(g.getChainId(), c.getBody(), k));
      write(change, c.toBuilder().clearApprovals().addAllApprovals(kept).build());
      System.out.println(
          "approved as " + k.getName() + "; " + kept.size() + " approvals in " + change);
      return 0;
    }
  }

  @Command(
      name = "submit",
      mixinStandardHelpOptions = true,
      description = "Submit an approved change, signed with this validator's key; waits for it.")
  static final class Submit implements Callable<Integer> {
    @Mixin ClientOptions client;

    @Option(names = "--change", required = true, description = "The approved change file.")
    Path change;

    @Override
    public Integer call() {
      ValidatorChange c = read(change);
      Genesis g = client.loadGenesis();
      KeyFile key = client.loadKey();
      try (NodeClient node = client.connect(g)) {
        long height = node.query().getStatus(StatusRequest.getDefaultInstance()).getHeight();
        var tx =
            TxSigner.sign(
                g.getChainId(),
                key,
                System.currentTimeMillis() * 1000,
                height + 100,
                Payload.newBuilder().setValidatorChange(c).build());
        SubmitResponse r =
            node.submit()
                .submit(SubmitRequest.newBuilder().setTx(tx).setWaitForCommit(true).build());
        if (!r.getAccepted() || !r.getCommitted()) {
          throw new CliException("change not committed: " + r.getCode() + ": " + r.getMessage());
        }
        System.out.println(
            "committed at height "
                + r.getHeight()
                + "; the new set signs from height "
                + (r.getHeight() + ValidatorSets.ACTIVATION_DELAY_HEIGHTS));
        return 0;
      } catch (StatusRuntimeException e) {
        throw CliException.fromStatus(e);
      }
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "The validator set in force at the node's next height, any pending change and the next"
              + " sequence number (each change verified from genesis).")
  static final class Show implements Callable<Integer> {
    @Mixin ClientOptions client;

    @Override
    public Integer call() {
      Genesis g = client.loadGenesis();
      try (NodeClient node = client.connect(g)) {
        var r = node.query().getValidators(GetValidatorsRequest.getDefaultInstance());
        // Not the node's word: each change is proven from genesis and recomputed here.
        var followed = io.prosima.node.client.ValidatorSetFollower.follow(g, node);
        if (followed.problem() != null) {
          throw new CliException("validator changes do NOT verify: " + followed.problem());
        }
        ValidatorSets sets = followed.sets();
        long next = r.getHeight() + 1;
        var current = sets.epochAt(next);
        System.out.println(
            "height "
                + r.getHeight()
                + ": "
                + current.validators().size()
                + " validators in force since height "
                + current.fromHeight()
                + " (total weight "
                + current.set().totalWeight()
                + ")");
        for (Validator v : current.validators()) {
          System.out.println(
              "  "
                  + v.getName()
                  + " weight "
                  + v.getVotingWeight()
                  + " key "
                  + HexFormat.of().formatHex(v.getPublicKey().toByteArray())
                  + " p2p "
                  + v.getP2PAddress());
        }
        if (sets.latest().fromHeight() > next) {
          System.out.println(
              "pending: "
                  + sets.latest().validators().size()
                  + " validators from height "
                  + sets.latest().fromHeight());
        }
        System.out.println("next change sequence: " + sets.changes());
        return 0;
      } catch (StatusRuntimeException e) {
        throw CliException.fromStatus(e);
      }
    }
  }
}
