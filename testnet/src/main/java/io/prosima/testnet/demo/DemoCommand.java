package io.prosima.testnet.demo;

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
        "Start a local 4-validator testnet (one process each) and run the product on real images:"
            + " ingest, retrieval with a validator down, refusals, revoke and rekey, tamper"
            + " detection, reconstruction on chain latents, the auditor's timeline.")
public final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--dir",
      description = "Where to write the testnet (default: a new temp dir); must be empty or new.")
  Path dir;

  @Option(names = "--keep", description = "Leave the testnet running afterwards.")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    Path where = dir != null ? dir : Files.createTempDirectory("prosima-demo");
    return new ImageDemo(where.resolve("testnet"), keep, System.out).run() ? 0 : 1;
  }
}
