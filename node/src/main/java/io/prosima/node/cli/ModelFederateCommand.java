package io.prosima.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `prosima model federate …`: federated training rounds anchored on chain (issue 15). */
@Command(
    name = "federate",
    mixinStandardHelpOptions = true,
    description = "Federated training of G across hospitals, every round anchored on chain.",
    subcommands = {
      FederateStartCommand.class,
      FederateTrainCommand.class,
      FederateAggregateCommand.class,
      FederateLineageCommand.class,
      FederateExperimentCommand.class
    })
final class ModelFederateCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
