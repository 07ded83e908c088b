package io.prosima.node.cli;

import io.prosima.imaging.federated.FederatedExperiment;
import io.prosima.imaging.model.ShippedModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `prosima model federate experiment`: federated vs local-only vs centralised, in one process. */
@Command(
    name = "experiment",
    mixinStandardHelpOptions = true,
    description = {
      "Issue 15's experiment: H hospitals hold contiguous blocks of the training slices; compare",
      "FedAvg over R rounds of K steps, each hospital alone, and centralised training at the same",
      "total number of G steps (fresh G, shipped E frozen); PSNR at sigma on the validation slices."
    })
final class FederateExperimentCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "Slice directory with manifest.csv.")
  Path data;

  @Option(names = "--models", description = "Models directory for E (default: shipped).")
  Path models;

  @Option(names = "--hospitals", defaultValue = "4", description = "Default ${DEFAULT-VALUE}.")
  int hospitals;

  @Option(names = "--rounds", defaultValue = "6", description = "Default ${DEFAULT-VALUE}.")
  int rounds;

  @Option(
      names = "--steps",
      defaultValue = "50",
      description = "Local steps per round K (default ${DEFAULT-VALUE}).")
  int steps;

  @picocli.CommandLine.Mixin LocalTrainingOptions training = new LocalTrainingOptions();

  @Option(names = "--sigma", defaultValue = "0.05", description = "Default ${DEFAULT-VALUE}.")
  double sigma;

  @Option(
      names = "--delta-norm-max",
      defaultValue = "1000",
      description = "Bound on ||update - global|| (default ${DEFAULT-VALUE}).")
  double deltaNormMax;

  @Option(
      names = "--federated-only",
      description = "Run only the federated arm (the other arms depend only on R*K).")
  boolean federatedOnly;

  @Override
  public Integer call() throws IOException {
    if (hospitals < 1 || hospitals > 16 || rounds < 1 || steps < 1) {
      throw new CliException("give 1..16 hospitals, at least 1 round and 1 step");
    }
    new FederatedExperiment(
            new FederatedExperiment.Config(
                data,
                models != null ? models : ShippedModels.defaultDir(),
                hospitals,
                rounds,
                steps,
                training.batch,
                training.crop,
                training.lr,
                training.seed,
                sigma,
                deltaNormMax,
                federatedOnly),
            System.out)
        .run();
    return 0;
  }
}
