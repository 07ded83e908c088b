package io.prosima.node.cli;

import io.prosima.node.image.ImageHistory;
import io.prosima.node.image.ImageRekeyer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `prosima image rekey IMAGE_ID`: fresh data key, fresh fragments, grants re-issued. */
@Command(
    name = "rekey",
    mixinStandardHelpOptions = true,
    description = {
      "Owner only: re-encrypt an image under a fresh data key, store new fragments, re-grant every",
      "identity whose grant is still live; validators retire the old fragments. Run it after a",
      "revoke so a key the revoked identity kept opens nothing stored afterwards."
    })
public final class ImageRekeyCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Image id.")
  String imageId;

  @Mixin ClientOptions client;

  @Option(names = "--code", description = "Erasure code r/s (default: the image's current one).")
  String code;

  @Option(names = "--region", description = "Region to place from (default: the node's region).")
  String region;

  @Override
  public Integer call() throws Exception {
    try (ImageSession session = new ImageSession(client, region)) {
      ImageHistory history = ImageCommands.history(session, imageId);
      int r = history.placement().getFragmentsNeeded();
      int s = history.placement().getFragmentsTotal();
      if (code != null) {
        int[] rs = ImageIngestCommand.parseCode(code, session.genesis.getValidatorsCount());
        r = rs[0];
        s = rs[1];
      }
      try {
        ImageRekeyer.Rekeyed done =
            new ImageRekeyer(session.nodes, session.via, session.calls)
                .rekey(history, session.region, r, s);
        System.out.println(
            "rekeyed "
                + imageId
                + " to key epoch "
                + done.keyEpoch()
                + "; re-granted: owner"
                + (done.regranted().isEmpty() ? "" : ", " + String.join(", ", done.regranted())));
        for (String k : done.notRegranted()) {
          System.out.println("not re-granted (not a genesis client; grant it again): " + k);
        }
        return 0;
      } catch (io.prosima.node.image.ImageIngest.IngestException e) {
        throw new CliException(e.getMessage(), e);
      }
    }
  }
}
