package io.prosima.node.cli;

import picocli.CommandLine.Option;

/** The local fine-tuning options the federated commands share (a picocli mixin). */
final class LocalTrainingOptions {
  @Option(names = "--batch", defaultValue = "8", description = "Default ${DEFAULT-VALUE}.")
  int batch;

  @Option(names = "--crop", defaultValue = "128", description = "Default ${DEFAULT-VALUE}.")
  int crop;

  @Option(names = "--lr", defaultValue = "1e-3", description = "Default ${DEFAULT-VALUE}.")
  double lr;

  @Option(names = "--seed", defaultValue = "7", description = "Default ${DEFAULT-VALUE}.")
  long seed;
}
