package io.prosima.node.cli;

import io.prosima.node.image.ImageHistory;
import io.prosima.node.image.ProvenanceTimeline;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `prosima query provenance IMAGE_ID`: an image's verified history as a timeline. */
@Command(
    name = "provenance",
    mixinStandardHelpOptions = true,
    description = {
      "An image's whole history - anchor, grants, revokes, rekeys, access logs, reconstructions",
      "(with the model and its lineage), verifications - each entry's inclusion proof and commit",
      "certificate checked here against the genesis. Answers the owner, grantees, auditors."
    })
final class QueryProvenanceCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Image id.")
  String imageId;

  @Mixin ClientOptions client;

  @Option(names = "--json", description = "JSON for tools instead of the table.")
  boolean json;

  @Override
  public Integer call() {
    try (ImageSession session = new ImageSession(client, null)) {
      ImageHistory history = ImageCommands.history(session, imageId);
      var rows = ProvenanceTimeline.rows(history, session.genesis, session.via);
      System.out.println(
          json
              ? ProvenanceTimeline.json(history, rows, session.genesis)
              : ProvenanceTimeline.table(history, rows, session.genesis));
      return 0;
    }
  }
}
