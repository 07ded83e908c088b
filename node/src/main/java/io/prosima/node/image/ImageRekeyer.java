package io.prosima.node.image;

import com.google.protobuf.ByteString;
import io.prosima.imaging.crypto.DataKey;
import io.prosima.node.client.NodeClient;
import io.prosima.proto.v1.EncryptionInfo;
import io.prosima.proto.v1.ImageRekey;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.PlacementInfo;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * The owner's answer to a revoke: retrieve the image, derive the next epoch's data key, encrypt and
 * store fresh fragments, then commit the ImageRekey with grants for the owner and every grantee
 * still live. Nodes retire the old epoch's fragments once the rekey commits, so a key a revoked
 * identity kept opens nothing stored afterwards.
 */
public final class ImageRekeyer {
  private final ChainNodes nodes;
  private final NodeClient via;
  private final ExecutorService calls;

  public ImageRekeyer(ChainNodes nodes, NodeClient via, ExecutorService calls) {
    this.nodes = nodes;
    this.via = via;
    this.calls = calls;
  }

  /** What the rekey did. */
  public record Rekeyed(int keyEpoch, List<String> regranted, List<String> notRegranted) {}

  public Rekeyed rekey(ImageHistory history, String region, int r, int s)
      throws ImageIngest.IngestException, InterruptedException {
    String imageId = history.anchor().getImageId();
    if (!history.owner().equals(nodes.key().getEd25519PublicKey())) {
      throw new ImageIngest.IngestException("only the owner of " + imageId + " may rekey it");
    }
    ImageRetrieval.Retrieved current;
    try {
      current = new ImageRetrieval(nodes, calls).retrieve(history, region);
    } catch (ImageRetrieval.RetrievalException e) {
      throw new ImageIngest.IngestException(
          "cannot read the image to re-encrypt: " + e.getMessage());
    }
    ImageFingerprint fp;
    try {
      fp = ImageFingerprint.of(current.image(), null);
    } catch (java.io.IOException e) {
      throw new ImageIngest.IngestException(e.getMessage());
    }
    for (int t = 0; t < fp.leaves().size(); t++) {
      if (!Arrays.equals(
          fp.leaves().get(t).getContentHash().toByteArray(),
          history.anchor().getLeaves(t).getContentHash().toByteArray())) {
        throw new ImageIngest.IngestException(
            "tile " + t + " does not re-tile to its content hash");
      }
    }
    int epoch = history.keyEpoch() + 1;
    DataKey key =
        DataKeys.derive(
            nodes.key().getX25519PrivateKey().toByteArray(), nodes.chainId(), imageId, epoch);
    try {
      TileSealer sealer = new TileSealer(nodes.chainId(), imageId, key, r, s, new SecureRandom());
      int tiles = fp.canonicalTiles().size();
      byte[][][] fragments = new byte[tiles][][];
      for (int t = 0; t < tiles; t++) {
        fragments[t] = sealer.encode(sealer.encrypt(t, fp.canonicalTiles().get(t)));
      }
      PlacementInfo placement;
      try {
        placement =
            new FragmentUploader(nodes, calls).upload(imageId, epoch, fragments, r, s, region);
      } catch (FragmentUploader.UploadException e) {
        throw new ImageIngest.IngestException(e.getMessage());
      }
      List<Payload> payloads = new ArrayList<>();
      payloads.add(
          Payload.newBuilder()
              .setImageRekey(
                  ImageRekey.newBuilder()
                      .setImageId(imageId)
                      .setKeyEpoch(epoch)
                      .setEncryption(
                          EncryptionInfo.newBuilder().setAlgorithm(ImageIngest.AES_256_GCM))
                      .setPlacement(placement))
              .build());
      List<String> regranted = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      payloads.add(
          ImageIngest.grantPayload(nodes.chainId(), imageId, epoch, key, Grantee.of(nodes.key())));
      for (ByteString grantee : history.liveGrants().keySet()) {
        if (grantee.equals(history.owner())) {
          continue;
        }
        var g = Grantee.inGenesis(grantee, nodes.genesis());
        if (g.isPresent()) {
          payloads.add(ImageIngest.grantPayload(nodes.chainId(), imageId, epoch, key, g.get()));
          regranted.add(g.get().name());
        } else {
          missing.add(java.util.HexFormat.of().formatHex(grantee.toByteArray()));
        }
      }
      try {
        new ChainTxs(nodes).commit(via, payloads);
      } catch (ChainTxs.TxFailedException e) {
        throw new ImageIngest.IngestException(e.getMessage());
      }
      return new Rekeyed(epoch, regranted, missing);
    } finally {
      key.destroy();
    }
  }
}
