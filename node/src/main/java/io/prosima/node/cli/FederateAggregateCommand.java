package io.prosima.node.cli;

import io.grpc.StatusRuntimeException;
import io.prosima.node.federation.Federation;
import io.prosima.node.federation.FederationChain;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `prosima model federate aggregate`: the round's aggregator closes it. */
@Command(
    name = "aggregate",
    mixinStandardHelpOptions = true,
    description = {
      "As the round's aggregator (participants sorted by key, round mod n), or as the participant",
      "k places after it once gN's height + deadline + k * takeover blocks passed with no",
      "MODEL@g(ROUND+1) anchored (otherwise: 'not your turn until height H'), wait for every update",
      "or for the deadline with a quorum, check each update (hash vs anchor, shapes, NaN/Inf,",
      "norm), FedAvg the rest by sample count and anchor MODEL@g(ROUND+1) with all updates as",
      "parents and the exclusions in its metadata."
    })
final class FederateAggregateCommand implements Callable<Integer> {
  @Mixin ClientOptions client;

  @Option(names = "--model", required = true, description = "Federated model id.")
  String model;

  @Option(names = "--round", required = true, description = "Round number N.")
  long round;

  @Option(
      names = "--wait-s",
      defaultValue = "900",
      description =
          "How long to wait for this identity's turn and for the round to close (default"
              + " ${DEFAULT-VALUE}).")
  long waitS;

  @Option(
      names = "--delta-norm-max",
      defaultValue = "" + Federation.DELTA_NORM_MAX,
      description = "Bound on ||update - global|| (default ${DEFAULT-VALUE}).")
  double deltaNormMax;

  @Override
  public Integer call() throws IOException, InterruptedException {
    try (ImageSession s = new ImageSession(client, null)) {
      new Federation(new FederationChain(s.nodes, s.via), System.out)
          .aggregate(model, round, waitS * 1000, deltaNormMax);
      return 0;
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CliException(e.getMessage(), e);
    } catch (StatusRuntimeException e) {
      throw CliException.fromStatus(e);
    }
  }
}
