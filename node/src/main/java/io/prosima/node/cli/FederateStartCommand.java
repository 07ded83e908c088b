package io.prosima.node.cli;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.prosima.imaging.federated.LocalTraining;
import io.prosima.imaging.model.ModelExport;
import io.prosima.imaging.model.SavedModelWeights;
import io.prosima.imaging.model.ShippedModels;
import io.prosima.node.federation.Federation;
import io.prosima.node.federation.FederationChain;
import io.prosima.node.image.Grantee;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `prosima model federate start`: anchors round 0's global G of a federation. */
@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = {
      "Anchor MODEL@g0, the starting global G of a federation (the shipped G, another models",
      "directory's G, or a fresh G), with the participants, quorum, deadline and takeover period",
      "in its metadata;",
      "its weights are stored on the validators sealed to every participant."
    })
final class FederateStartCommand implements Callable<Integer> {
  @Mixin ClientOptions client;

  @Option(names = "--model", required = true, description = "Federated model id.")
  String model;

  @Option(
      names = "--participants",
      required = true,
      split = ",",
      description = "Hospitals taking part: genesis client names or hex Ed25519 keys.")
  List<String> participants;

  @Option(names = "--quorum", description = "Updates needed after the deadline (default: all).")
  Integer quorum;

  @Option(
      names = "--deadline-blocks",
      defaultValue = "600",
      description =
          "Blocks after a global model by which updates count (default ${DEFAULT-VALUE}).")
  long deadlineBlocks;

  @Option(
      names = "--takeover-blocks",
      description =
          "Blocks each stand-in waits after the deadline before the next participant in the"
              + " rotation may aggregate a round whose aggregator is silent (default: the"
              + " deadline).")
  Long takeoverBlocks;

  @Option(names = "--from", description = "Models directory whose G starts (default: shipped).")
  Path from;

  @Option(names = "--fresh-seed", description = "Start from a fresh G with this seed instead.")
  Long freshSeed;

  @Override
  public Integer call() throws IOException {
    try (ImageSession s = new ImageSession(client, null)) {
      List<ByteString> keys = new ArrayList<>();
      for (String p : participants) {
        String spec = p.trim();
        var byName =
            s.genesis.getClientsList().stream().filter(c -> c.getName().equals(spec)).findFirst();
        keys.add(
            byName.isPresent()
                ? byName.get().getPublicKey()
                : Grantee.parse(spec, s.genesis).publicKey());
      }
      Map<String, float[]> g;
      String origin;
      if (freshSeed != null) {
        g = SavedModelWeights.fresh(freshSeed, LocalTraining.PREFIX);
        origin = "fresh G, seed " + freshSeed;
      } else {
        Path dir = (from != null ? from : ShippedModels.defaultDir());
        g = SavedModelWeights.read(dir.resolve(ModelExport.GENERATOR_DIR), LocalTraining.PREFIX);
        origin = from != null ? "G of a models directory" : "shipped G";
      }
      Federation f = new Federation(new FederationChain(s.nodes, s.via), System.out);
      f.start(
          model,
          keys,
          quorum != null ? quorum : keys.size(),
          deadlineBlocks,
          takeoverBlocks != null ? takeoverBlocks : deadlineBlocks,
          g,
          origin);
      return 0;
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CliException(e.getMessage(), e);
    } catch (StatusRuntimeException e) {
      throw CliException.fromStatus(e);
    }
  }
}
