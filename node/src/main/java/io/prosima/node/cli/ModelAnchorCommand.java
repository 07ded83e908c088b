package io.prosima.node.cli;

import io.grpc.StatusRuntimeException;
import io.prosima.imaging.model.ShippedModels;
import io.prosima.node.client.NodeClient;
import io.prosima.node.models.ModelAnchors;
import io.prosima.proto.v1.StatusRequest;
import io.prosima.proto.v1.SubmitRequest;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.Transaction;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `prosima model anchor`: commits ModelAnchor transactions for the encoder E and the generator G (G
 * names E as its parent) with the SHA-256 of their weights and the model card's metadata, and for
 * the inpainting G ({@code inpaint/}, also a child of E) when the models directory ships it.
 */
@Command(
    name = "anchor",
    mixinStandardHelpOptions = true,
    description =
        "Anchor E and G, and the inpainting G when inpaint/ is shipped (weights SHA-256, training"
            + " metadata, metrics) on chain.")
final class ModelAnchorCommand implements Callable<Integer> {
  @Mixin ClientOptions client;

  @Option(names = "--models", description = "Models directory (default: the shipped models).")
  Path models;

  @Option(names = "--version", required = true, description = "Version to anchor, e.g. 1.")
  String version;

  @Override
  public Integer call() throws IOException {
    Path dir = models != null ? models : ShippedModels.defaultDir();
    var genesis = client.loadGenesis();
    var key = client.loadKey();
    try (NodeClient node = client.connect(genesis)) {
      long height = node.query().getStatus(StatusRequest.getDefaultInstance()).getHeight();
      List<Transaction> txs =
          ModelAnchors.anchorTxs(dir, version, genesis.getChainId(), key, height + 100);
      // One at a time: G names E as its parent, and admission checks parents against committed
      // state, so E must be committed before G is submitted.
      for (Transaction tx : txs) {
        SubmitResponse s =
            node.submit()
                .submit(SubmitRequest.newBuilder().setTx(tx).setWaitForCommit(true).build());
        var anchor = tx.getPayload().getModelAnchor();
        String name = anchor.getModelId() + "@" + anchor.getVersion();
        if (!s.getCommitted()) {
          throw new CliException("refused " + name + ": " + s.getCode() + " " + s.getMessage());
        }
        System.out.println(
            "anchored "
                + name
                + " weights sha256 "
                + HexFormat.of().formatHex(anchor.getWeightsSha256().toByteArray())
                + " at height "
                + s.getHeight());
      }
      return 0;
    } catch (StatusRuntimeException e) {
      throw CliException.fromStatus(e);
    }
  }
}
