package io.prosima.node.cli;

import io.grpc.StatusRuntimeException;
import io.prosima.imaging.federated.LocalTraining;
import io.prosima.imaging.model.ModelExport;
import io.prosima.imaging.model.SavedModelWeights;
import io.prosima.imaging.model.ShippedModels;
import io.prosima.imaging.train.SliceDataset;
import io.prosima.node.federation.Federation;
import io.prosima.node.federation.FederationChain;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `prosima model federate train`: one hospital's update of a round. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Load MODEL@gROUND (lineage and weights hash checked), fine-tune it for --steps on this",
      "hospital's slices (--data, a folder with manifest.csv; validation indices held out), store",
      "the update sealed to every participant (any may stand in as aggregator) and anchor it as",
      "MODEL@uROUND.<key>."
    })
final class FederateTrainCommand implements Callable<Integer> {
  @Mixin ClientOptions client;

  @Option(names = "--model", required = true, description = "Federated model id.")
  String model;

  @Option(names = "--round", required = true, description = "Round number N.")
  long round;

  @Option(names = "--data", required = true, description = "This hospital's slices.")
  Path data;

  @Option(names = "--models", description = "Models directory of E (default: shipped).")
  Path models;

  @Option(names = "--steps", defaultValue = "50", description = "Local steps K (default 50).")
  int steps;

  @Option(
      names = "--rounds-planned",
      defaultValue = "1",
      description = "Rounds of the run, for the learning-rate schedule (default 1).")
  int roundsPlanned;

  @picocli.CommandLine.Mixin LocalTrainingOptions training = new LocalTrainingOptions();

  @Option(names = "--misbehave", hidden = true, defaultValue = "NONE")
  Federation.Tamper misbehave;

  @Override
  public Integer call() throws IOException {
    if (steps < 1 || roundsPlanned < 1 || round < 0 || round >= roundsPlanned * 1000L) {
      throw new CliException("give --steps >= 1, --rounds-planned >= 1 and a round >= 0");
    }
    SliceDataset local = SliceDataset.load(data);
    Path dir = models != null ? models : ShippedModels.defaultDir();
    var encoder = SavedModelWeights.read(dir.resolve(ModelExport.ENCODER_DIR), "e/");
    int total = steps * (int) Math.max(roundsPlanned, round + 1);
    try (ImageSession s = new ImageSession(client, null)) {
      Federation f = new Federation(new FederationChain(s.nodes, s.via), System.out);
      f.train(
          model,
          round,
          local,
          encoder,
          new LocalTraining.Settings(
              steps, training.batch, training.crop, training.lr, training.seed + 31 * round, total),
          misbehave);
      return 0;
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CliException(e.getMessage(), e);
    } catch (StatusRuntimeException e) {
      throw CliException.fromStatus(e);
    }
  }
}
