package io.prosima.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `prosima model …`: train and evaluate the imaging models. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = "Train, evaluate and anchor the imaging models (encoder E, generator G).",
    subcommands = {
      ModelTrainCommand.class,
      ModelTrainInpaintCommand.class,
      ModelTrainHashcodeCommand.class,
      ModelEvalCommand.class,
      ModelEvalInpaintCommand.class,
      ModelAnchorCommand.class,
      ModelFederateCommand.class
    })
public final class ModelCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
