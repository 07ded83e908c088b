package io.prosima.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `prosima image …`: operations on medical images. */
@Command(
    name = "image",
    mixinStandardHelpOptions = true,
    description = "Image operations.",
    subcommands = {
      ImageIngestCommand.class,
      ImageRetrieveCommand.class,
      ImageRekeyCommand.class,
      ImageVerifyCommand.class,
      ImageFingerprintCommand.class,
      ImageCipherStatsCommand.class,
      ImageReconstructCommand.class,
    })
public final class ImageCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
