package io.prosima.node.cli;

import com.google.protobuf.ByteString;
import io.prosima.imaging.tiling.TileGrid;
import io.prosima.imaging.verify.ImageVerifier;
import io.prosima.imaging.verify.VerificationResult;
import io.prosima.node.image.ChainTxs;
import io.prosima.node.image.ImageFingerprint;
import io.prosima.node.image.ImageHistory;
import io.prosima.node.image.ImageInput;
import io.prosima.node.image.Models;
import io.prosima.proto.v1.ImageAnchor;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.VerificationRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `prosima image verify FILE --id IMAGE_ID`: the file against the image's on-chain leaves. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check a file against an anchored image: AUTHENTIC when every tile's content hash equals",
      "the chain's; otherwise E's latent of each differing tile is compared with its on-chain",
      "latent: SEMANTICALLY_CONSISTENT (benign change) or TAMPERED, naming the tiles."
    })
public final class ImageVerifyCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "The image file to check.")
  Path file;

  @Option(names = "--id", required = true, description = "Anchored image id.")
  String imageId;

  @Mixin ClientOptions client;

  @Option(names = "--record", description = "Commit a VerificationRecord with the verdict.")
  boolean record;

  @Option(names = "--json", description = "JSON for tools instead of the table.")
  boolean json;

  @Mixin ModelOptions model;

  @Override
  public Integer call() throws Exception {
    try (ImageSession session = new ImageSession(client, null)) {
      ImageHistory history = ImageCommands.history(session, imageId);
      ImageAnchor anchor = history.anchor();
      try (Models.Opened opened =
          Models.open(model.dir(), session.via, model.modelVersion, false)) {
        if (!anchor.getEncoder().isEmpty() && !anchor.getEncoder().equals(opened.label())) {
          System.err.println(
              "note: the image was fingerprinted with E "
                  + anchor.getEncoder()
                  + ", checking with "
                  + opened.label());
        }
        var unit = ImageInput.read(file).unitImage();
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
}
