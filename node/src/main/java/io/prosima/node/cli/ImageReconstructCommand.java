package io.prosima.node.cli;

import io.prosima.imaging.inpaint.LostTiles;
import io.prosima.imaging.inpaint.TileInpainter;
import io.prosima.imaging.io.PngImages;
import io.prosima.imaging.model.ImageReconstructor;
import io.prosima.imaging.model.Reconstruction;
import io.prosima.imaging.model.ShippedModels;
import io.prosima.node.image.FingerprintFile;
import io.prosima.node.image.LostTileRebuild;
import io.prosima.node.models.ModelAnchors;
import io.prosima.proto.v1.ImageAnchor;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
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
      "(no chain lookup); writes a 16-bit PNG.",
      "With --missing-tiles 5,6 and --fingerprint FP.json (or --id): those tiles are lost; the",
      "inpainting G rebuilds them from their neighbours and their anchored latents z*, and every",
      "other tile is written exactly as read."
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

  @Option(
      names = "--missing-tiles",
      split = ",",
      description =
          "Tiles lost (indices, row-major from 0): rebuilt from their neighbours and their"
              + " anchored z*; needs --fingerprint or --id.")
  List<Integer> missingTiles;

  @Option(
      names = "--fingerprint",
      description =
          "Fingerprint file from `image fingerprint` (offline): its latents are the z* of the"
              + " lost tiles (with --missing-tiles).")
  Path fingerprint;

  @Override
  public Integer call() throws Exception {
    Path dir = models != null ? models : ShippedModels.defaultDir();
    if (fingerprint != null && missingTiles == null) {
      throw new IllegalArgumentException("--fingerprint goes with --missing-tiles");
    }
    if (missingTiles != null && imageId == null) {
      return rebuildOffline(dir);
    }
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

  /** `--missing-tiles` with `--fingerprint`: lost tiles rebuilt from the file's leaves. */
  private int rebuildOffline(Path dir) throws Exception {
    if (fingerprint == null) {
      throw new IllegalArgumentException(
          "--missing-tiles needs the tiles' anchored latents: give --fingerprint FP.json or --id");
    }
    if (latents != null
        || saveLatents != null
        || anchoredVersion != null
        || encoderSha256 != null
        || generatorSha256 != null
        || record) {
      throw new IllegalArgumentException(
          "--missing-tiles with --fingerprint takes z* from the file; drop --latents,"
              + " --save-latents, --anchored, the hashes and --record");
    }
    ImageAnchor anchor = FingerprintFile.read(fingerprint);
    var image = input.read(in).unitImage();
    LostTiles lost = LostTileRebuild.check(anchor, image, missingTiles);
    try (TileInpainter inpainter = TileInpainter.load(TileInpainter.dirUnder(dir))) {
      long start = System.nanoTime();
      LostTileRebuild.Result result = LostTileRebuild.run(anchor, image, lost, inpainter);
      PngImages.write16(result.output(), out);
      printRebuilt(result, (System.nanoTime() - start) / 1e6);
    }
    return 0;
  }

  private void printRebuilt(LostTileRebuild.Result result, double millis) {
    System.out.printf(
        Locale.ROOT,
        "rebuilt lost tiles %s of %s from their neighbours and anchored latents in %.0f ms; other"
            + " tiles kept as read -> %s%n",
        result.rebuiltTiles(),
        in,
        millis,
        out);
    if (!result.otherTilesDiffering().isEmpty()) {
      System.out.printf(
          "note: tiles %s were not named lost but differ from the anchored content hashes; kept as"
              + " read (see `prosima image verify`)%n",
          result.otherTilesDiffering());
    }
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
    if (missingTiles != null) {
      return rebuildOnChain(dir, version);
    }
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

  /**
   * `--id` with `--missing-tiles`: z* from the image's on-chain leaves, and only the inpainting G
   * anchored as {@link ModelAnchors#INPAINT_GENERATOR_ID} at {@code version} runs.
   */
  private int rebuildOnChain(Path dir, String version) throws Exception {
    if (fingerprint != null) {
      throw new IllegalArgumentException("give --id or --fingerprint, not both");
    }
    ClientOptions client = new ClientOptions();
    client.genesis = genesis;
    client.key = key;
    client.node = node;
    try (ImageSession session = new ImageSession(client, null)) {
      ImageAnchor anchor = ImageCommands.history(session, imageId).anchor();
      var image = input.read(in).unitImage();
      LostTiles lost = LostTileRebuild.check(anchor, image, missingTiles);
      byte[] inpaintHash;
      try {
        inpaintHash =
            session
                .via
                .query()
                .getModel(
                    io.prosima.proto.v1.GetModelRequest.newBuilder()
                        .setModelId(ModelAnchors.INPAINT_GENERATOR_ID)
                        .setVersion(version)
                        .build())
                .getWeightsSha256()
                .toByteArray();
      } catch (io.grpc.StatusRuntimeException e) {
        if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
          throw new CliException(
              ModelAnchors.INPAINT_GENERATOR_ID
                  + "@"
                  + version
                  + " is not anchored on chain; anchor it first (prosima model anchor)");
        }
        throw CliException.fromStatus(e);
      }
      try (TileInpainter inpainter =
          TileInpainter.loadAnchored(TileInpainter.dirUnder(dir), inpaintHash)) {
        long start = System.nanoTime();
        LostTileRebuild.Result result = LostTileRebuild.run(anchor, image, lost, inpainter);
        PngImages.write16(result.output(), out);
        printRebuilt(result, (System.nanoTime() - start) / 1e6);
      }
      if (record) {
        try (var opened = io.prosima.node.image.Models.open(dir, session.via, version, true)) {
          byte[] root =
              io.prosima.node.image.ImageFingerprint.of(PngImages.read(out), opened).merkleRoot();
          new io.prosima.node.image.ChainTxs(session.nodes)
              .commit(
                  session.via,
                  java.util.List.of(
                      io.prosima.proto.v1.Payload.newBuilder()
                          .setReconstructionRecord(
                              io.prosima.proto.v1.ReconstructionRecord.newBuilder()
                                  .setImageId(imageId)
                                  .setModelId(ModelAnchors.INPAINT_GENERATOR_ID)
                                  .setModelVersion(version)
                                  .setOutputMerkleRoot(
                                      com.google.protobuf.ByteString.copyFrom(root))
                                  .addAllReconstructedTiles(lost.indices()))
                          .build()));
          System.out.println("ReconstructionRecord committed");
        }
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
