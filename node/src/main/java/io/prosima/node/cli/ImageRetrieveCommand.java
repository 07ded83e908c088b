package io.prosima.node.cli;

import io.prosima.imaging.io.PngImages;
import io.prosima.node.image.ImageHistory;
import io.prosima.node.image.ImageRetrieval;
import io.prosima.node.image.ImageTxs;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `prosima image retrieve IMAGE_ID OUT`: fetch, decrypt and check an image, log the read. */
@Command(
    name = "retrieve",
    mixinStandardHelpOptions = true,
    description = {
      "Retrieve an image you own or were granted: the anchor and your grant are read with their",
      "proofs, r fragments per tile come from the nearest live validators (hashes checked against",
      "the chain), tiles are decrypted and checked against their on-chain content hashes; writes",
      "PNG (16-bit where the source was) and commits an AccessLog \"read\"."
    })
public final class ImageRetrieveCommand implements Callable<Integer> {
  /** Exit code when the image was retrieved but its AccessLog could not be committed. */
  static final int LOG_NOT_COMMITTED_EXIT = 3;

  @Parameters(index = "0", description = "Image id.")
  String imageId;

  @Parameters(index = "1", description = "Output PNG.")
  Path out;

  @Mixin ClientOptions client;

  @Option(names = "--region", description = "Our region (default: the node's region).")
  String region;

  @Option(names = "--no-log", description = "Do not commit the AccessLog (tests and benchmarks).")
  boolean noLog;

  @Override
  public Integer call() throws Exception {
    try (ImageSession session = new ImageSession(client, region)) {
      long start = System.nanoTime();
      ImageHistory history = ImageCommands.history(session, imageId);
      ImageRetrieval.Retrieved r =
          new ImageRetrieval(session.nodes, session.calls).retrieve(history, session.region);
      if (r.sampleBits() == 8) {
        PngImages.write8(r.image(), out);
      } else {
        PngImages.write16(r.image(), out);
      }
      double ms = (System.nanoTime() - start) / 1e6;
      for (String s : r.skipped()) {
        System.out.println("skipped: " + s);
      }
      System.out.printf(
          java.util.Locale.ROOT,
          "retrieved %s (%dx%d, %d-bit, key epoch %d) from %d fragments in %.0f ms; every tile"
              + " matches the chain -> %s%n",
          imageId,
          r.image().width(),
          r.image().height(),
          r.sampleBits(),
          r.keyEpoch(),
          r.fragmentsFetched(),
          ms,
          out);
      if (!noLog) {
        try {
          ImageTxs.logAccess(session.nodes, session.via, imageId, "read");
        } catch (io.prosima.node.image.ChainTxs.TxFailedException e) {
          // The reads above need no quorum; the log does. Say so and exit non-zero.
          System.err.println(
              "error: image written to "
                  + out
                  + ", but the AccessLog did not commit: "
                  + e.getMessage());
          return LOG_NOT_COMMITTED_EXIT;
        }
        System.out.println("access logged on chain (AccessLog \"read\")");
      }
      return 0;
    }
  }
}
