package io.prosima.node.cli;

import com.google.protobuf.ByteString;
import io.prosima.imaging.tiling.TileGrid;
import io.prosima.imaging.verify.ImageVerifier;
import io.prosima.imaging.verify.VerificationResult;
import io.prosima.node.image.ChainTxs;
import io.prosima.node.image.FingerprintFile;
import io.prosima.node.image.ImageFingerprint;
import io.prosima.node.image.ImageHistory;
import io.prosima.node.image.Models;
import io.prosima.proto.v1.ImageAnchor;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.VerificationRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `prosima image verify FILE --id IMAGE_ID`: the file against the image's on-chain leaves; or
 * `--fingerprint FP.json`: against the leaves in a fingerprint file (`image fingerprint`), checked
 * for self-consistency first, with no node. Both run the same {@link ImageVerifier}.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check a file against an anchored image: AUTHENTIC when every tile's content hash equals",
      "the chain's; otherwise E's latent of each differing tile is compared with its on-chain",
      "latent: SEMANTICALLY_CONSISTENT (benign change) or TAMPERED, naming the tiles.",
      "Exactly one of --id (on chain; needs --genesis and --key) or --fingerprint (offline)."
    })
public final class ImageVerifyCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "The image file to check.")
  Path file;

  /** Where the expected leaves come from: exactly one. */
  static final class Source {
    @Option(names = "--id", required = true, description = "Anchored image id (on chain).")
    String imageId;

    @Option(
        names = "--fingerprint",
        required = true,
        description = "Fingerprint file from `image fingerprint` (offline).")
    Path fingerprint;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  /** Only with --id; a group so that the offline form needs no genesis or key. */
  @ArgGroup(exclusive = false)
  ClientOptions client;

  @Mixin ImageInputOptions input;

  @Option(names = "--record", description = "Commit a VerificationRecord with the verdict.")
  boolean record;

  @Option(names = "--json", description = "JSON for tools instead of the table.")
  boolean json;

  @Mixin ModelOptions model;

  @Override
  public Integer call() throws Exception {
    if (source.fingerprint != null) {
      return offline();
    }
    if (client == null) {
      throw new IllegalArgumentException("--id needs --genesis and --key");
    }
    String imageId = source.imageId;
    try (ImageSession session = new ImageSession(client, null)) {
      ImageHistory history = ImageCommands.history(session, imageId);
      ImageAnchor anchor = history.anchor();
      try (Models.Opened opened =
          Models.open(model.dir(), session.via, model.modelVersion, false)) {
        noteEncoder(anchor, opened);
        var unit = input.read(file).unitImage();
        VerificationResult result =
            ImageVerifier.verify(
                unit,
                new TileGrid(anchor.getGrid().getImageWidth(), anchor.getGrid().getImageHeight()),
                anchor.getLeavesList(),
                opened.reconstructor());
        System.out.println(json ? result.toJson() : result.toTable());
        if (record) {
          byte[] root = ImageFingerprint.of(unit, opened).merkleRoot();
          new ChainTxs(session.nodes)
              .commit(
                  session.via,
                  List.of(
                      Payload.newBuilder()
                          .setVerificationRecord(
                              VerificationRecord.newBuilder()
                                  .setImageId(imageId)
                                  .setVerdict(result.verdict().toProto())
                                  .addAllTamperedTiles(result.tamperedTiles())
                                  .setCheckedMerkleRoot(ByteString.copyFrom(root)))
                          .build()));
          if (!json) {
            System.out.println("VerificationRecord committed");
          }
        }
        return 0;
      }
    }
  }

  /** `--fingerprint`: the leaves of a checked fingerprint file, the shipped (or --models) E. */
  private int offline() throws Exception {
    if (client != null || record) {
      throw new IllegalArgumentException(
          "--fingerprint verifies offline; --genesis, --key, --node and --record go with --id");
    }
    ImageAnchor anchor = FingerprintFile.read(source.fingerprint);
    var unit = input.read(file).unitImage();
    try (Models.Opened opened = Models.openShipped(model.dir())) {
      noteEncoder(anchor, opened);
      VerificationResult result =
          ImageVerifier.verify(
              unit,
              new TileGrid(anchor.getGrid().getImageWidth(), anchor.getGrid().getImageHeight()),
              anchor.getLeavesList(),
              opened.reconstructor());
      System.out.println(json ? result.toJson() : result.toTable());
    }
    return 0;
  }

  /**
   * Latents of another E are not comparable; say so rather than guess (stderr, not the verdict).
   */
  private static void noteEncoder(ImageAnchor anchor, Models.Opened opened) {
    if (!anchor.getEncoder().isEmpty() && !anchor.getEncoder().equals(opened.label())) {
      System.err.println(
          "note: the image was fingerprinted with E "
              + anchor.getEncoder()
              + ", checking with "
              + opened.label());
    }
  }
}
