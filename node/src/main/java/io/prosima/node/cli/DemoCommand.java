package io.prosima.node.cli;

import io.prosima.node.demo.LedgerDemo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `prosima demo`: the README's demo on an embedded local chain. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Start a local node, anchor images, read them back with verified proofs.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--dir", description = "Where to write the demo chain (default: a new temp dir).")
  Path dir;

  @Option(names = "--images", defaultValue = "8", description = "Images to anchor (1..1000).")
  int images;

  @Override
  public Integer call() throws Exception {
    if (images < 1 || images > 1000) {
      throw new CliException("--images must be in 1..1000");
    }
    Path where = dir != null ? dir : Files.createTempDirectory("prosima-demo");
    return new LedgerDemo(where, images, System.out).run() ? 0 : 1;
  }
}
