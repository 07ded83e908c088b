package io.prosima.node.cli;

import io.prosima.imaging.model.ImageReconstructor;
import io.prosima.imaging.model.Reconstruction;
import io.prosima.imaging.model.ShippedModels;
import io.prosima.node.models.ModelAnchors;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `prosima image reconstruct IN OUT`. Registered under the `image` command group (created
 * separately); the work is {@link Reconstruction#reconstructFile}.
 */
@Command(
    name = "reconstruct",
    mixinStandardHelpOptions = true,
    description = {
      "Reconstruct a corrupted image (PNG, DICOM, NIfTI slice) with the generator G, conditioned",
      "on per-tile latents: --latents FILE (anchored z*) or, by default, E of the input itself",
      "(no chain lookup); writes a 16-bit PNG."
    })
public final class ImageReconstructCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Input image.")
  Path in;

  @Parameters(index = "1", description = "Output PNG.")
  Path out;

  @Option(names = "--models", description = "Models directory (default: the shipped models).")
  Path models;

  @Option(
      names = "--latents",
      description = "Per-tile anchored latents z* (LatentsFile text) instead of E of the input.")
  Path latents;

  @Option(
      names = "--save-latents",
      description = "Write E's latents of the input here (for a clean image: what to anchor).")
  Path saveLatents;

  @Mixin ImageInputOptions input;

  @Option(
      names = "--encoder-sha256",
      description = "Refuse to run unless E's weights hash is this.")
  String encoderSha256;

  @Option(
      names = "--generator-sha256",
      description = "Refuse to run unless G's weights hash is this.")
  String generatorSha256;

  @Option(
      names = "--anchored",
      description =
          "Model version anchored on chain: fetch E's and G's weight hashes from a node (needs"
              + " --genesis and --key) and refuse to run models that do not match.")
  String anchoredVersion;

  @Option(names = "--genesis", description = "The chain's genesis.json (with --anchored).")
  Path genesis;

  @Option(names = "--key", description = "Our identity key file (with --anchored).")
  Path key;

  @Option(names = "--node", description = "Node gRPC address host:port (with --anchored).")
  String node;

  @Option(
      names = "--id",
      description =
          "Anchored image id: condition G on its on-chain latents z* and run only the anchored"
              + " model (version --anchored, default 1); needs --genesis and --key.")
  String imageId;

  @Option(
      names = "--record",
      description = "With --id: commit a ReconstructionRecord (output root, model@version).")
  boolean record;

  @Override
  public Integer call() throws Exception {
    Path dir = models != null ? models : ShippedModels.defaultDir();
    if (imageId != null) {
      return onChain(dir);
    }
    if (record) {
      throw new IllegalArgumentException("--record needs --id (the image the record is about)");
    }
    if (anchoredVersion != null) {
      if (encoderSha256 != null || generatorSha256 != null) {
        throw new IllegalArgumentException("give --anchored or the explicit hashes, not both");
      }
      if (genesis == null || key == null) {
        throw new IllegalArgumentException("--anchored needs --genesis and --key");
      }
      ClientOptions client = new ClientOptions();
      client.genesis = genesis;
      client.key = key;
      client.node = node;
      var g = client.loadGenesis();
      try (var connection = client.connect(g)) {
        encoderSha256 = anchoredHash(connection, ModelAnchors.ENCODER_ID);
        generatorSha256 = anchoredHash(connection, ModelAnchors.GENERATOR_ID);
      } catch (io.grpc.StatusRuntimeException e) {
        throw CliException.fromStatus(e);
      }
    }
    if ((encoderSha256 == null) != (generatorSha256 == null)) {
      throw new IllegalArgumentException(
          "give both --encoder-sha256 and --generator-sha256 or neither");
    }
    try (ImageReconstructor model =
        encoderSha256 == null
            ? ImageReconstructor.load(dir)
            : ImageReconstructor.loadAnchored(
                dir,
                HexFormat.of().parseHex(encoderSha256),
                HexFormat.of().parseHex(generatorSha256))) {
      System.out.println(
          Reconstruction.reconstructFile(
                  model, in, out, input.axis, input.slice, input.frame, latents, saveLatents)
              .format(in, out));
    }
    return 0;
  }

  /** `--id`: z* from the chain, anchored models only, optional record. */
  private int onChain(Path dir) throws Exception {
    if (genesis == null || key == null) {
      throw new IllegalArgumentException("--id needs --genesis and --key");
    }
    if (latents != null || encoderSha256 != null || generatorSha256 != null) {
      throw new IllegalArgumentException(
          "--id takes z* from the chain and the anchored model; drop --latents and the hashes");
    }
    String version = anchoredVersion != null ? anchoredVersion : "1";
    ClientOptions client = new ClientOptions();
    client.genesis = genesis;
    client.key = key;
    client.node = node;
    try (ImageSession session = new ImageSession(client, null);
        var opened = io.prosima.node.image.Models.open(dir, session.via, version, true)) {
      var history = ImageCommands.history(session, imageId);
      var image = input.read(in).unitImage();
      long start = System.nanoTime();
      var result = io.prosima.node.image.ChainReconstruction.run(history, image, opened);
      io.prosima.imaging.io.PngImages.write16(result.output(), out);
      System.out.printf(
          java.util.Locale.ROOT,
          "reconstructed %s with %s@%s conditioned on its on-chain latents in %.0f ms; tiles"
              + " that differed from the chain: %s; output root %s -> %s%n",
          imageId,
          ModelAnchors.GENERATOR_ID,
          version,
          (System.nanoTime() - start) / 1e6,
          result.repairedTiles(),
          HexFormat.of().formatHex(result.outputRoot()).substring(0, 16),
          out);
      if (record) {
        new io.prosima.node.image.ChainTxs(session.nodes)
            .commit(
                session.via,
                java.util.List.of(
                    io.prosima.node.image.ChainReconstruction.record(imageId, version, result)));
        System.out.println("ReconstructionRecord committed");
      }
      return 0;
    }
  }

  private String anchoredHash(io.prosima.node.client.NodeClient connection, String modelId) {
    var record =
        connection
            .query()
            .getModel(
                io.prosima.proto.v1.GetModelRequest.newBuilder()
                    .setModelId(modelId)
                    .setVersion(anchoredVersion)
                    .build());
    return HexFormat.of().formatHex(record.getWeightsSha256().toByteArray());
  }
}
