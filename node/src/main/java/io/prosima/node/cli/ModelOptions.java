package io.prosima.node.cli;

import io.prosima.imaging.model.ShippedModels;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which models an image command runs: a directory and the anchored version to prefer. */
final class ModelOptions {
  @Option(names = "--models", description = "Models directory (default: the shipped models).")
  Path models;

  @Option(
      names = "--model-version",
      defaultValue = "1",
      description = "Anchored model version to prefer (default ${DEFAULT-VALUE}).")
  String modelVersion;

  Path dir() {
    return models != null ? models : ShippedModels.defaultDir();
  }
}
