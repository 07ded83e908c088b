package io.prosima.node.cli;

import io.grpc.StatusRuntimeException;
import io.prosima.node.federation.FederationChain;
import io.prosima.node.federation.Lineage;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `prosima model federate lineage`: the auditor's walk of a model's lineage. */
@Command(
    name = "lineage",
    mixinStandardHelpOptions = true,
    description = {
      "Walk MODEL@VERSION's lineage on chain (GetModel, then GetTx with its proof checked, for",
      "every parent): prints each anchor's hash, height, parents and metadata; exit 1 if broken."
    })
final class FederateLineageCommand implements Callable<Integer> {
  @Mixin ClientOptions client;

  @Option(names = "--model", required = true, description = "Model id.")
  String model;

  @Option(names = "--version", required = true, description = "Version, e.g. g2.")
  String version;

  @Override
  public Integer call() {
    try (ImageSession s = new ImageSession(client, null)) {
      Lineage.Result r = Lineage.walk(model + "@" + version, new FederationChain(s.nodes, s.via));
      for (Lineage.Node n : r.nodes()) {
        var a = n.anchor();
        System.out.printf(
            "%s  height %d  weights sha256 %s%n  parents %s%n",
            n.ref(),
            n.anchored().height(),
            HexFormat.of().formatHex(a.getWeightsSha256().toByteArray()),
            a.getParentsList());
        for (String line : a.getTrainingMetadata().split("\n")) {
          if (!line.isBlank() && !line.startsWith("participants=")) {
            System.out.println("  " + line);
          }
        }
      }
      if (!r.ok()) {
        System.out.println("lineage BROKEN: " + r.problem());
        return 1;
      }
      System.out.printf("lineage OK: %d anchored models%n", r.nodes().size());
      return 0;
    } catch (IllegalStateException e) {
      throw new CliException(e.getMessage(), e);
    } catch (StatusRuntimeException e) {
      throw CliException.fromStatus(e);
    }
  }
}
