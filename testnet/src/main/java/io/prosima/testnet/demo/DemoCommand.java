package io.prosima.testnet.demo;

import io.prosima.node.cli.CliException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `prosima demo`: the README's demo on a local 4-validator testnet. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Start a local 4-validator testnet (one process each), anchor images, read them back with"
            + " verified proofs, kill and restart a validator, compare every node's blocks.")
public final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--dir",
      description = "Where to write the testnet (default: a new temp dir); must be empty or new.")
  Path dir;

  @Option(names = "--images", defaultValue = "8", description = "Images to anchor (1..1000).")
  int images;

  @Option(names = "--keep", description = "Leave the testnet running afterwards.")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    if (images < 1 || images > 1000) {
      throw new CliException("--images must be in 1..1000");
    }
    Path where = dir != null ? dir : Files.createTempDirectory("prosima-demo");
    return new TestnetDemo(where.resolve("testnet"), images, keep, System.out).run() ? 0 : 1;
  }
}
