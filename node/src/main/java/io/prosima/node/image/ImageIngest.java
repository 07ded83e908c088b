package io.prosima.node.image;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.prosima.imaging.crypto.DataKey;
import io.prosima.imaging.crypto.KeyWrap;
import io.prosima.imaging.crypto.WrapContext;
import io.prosima.node.client.NodeClient;
import io.prosima.proto.v1.AccessGrant;
import io.prosima.proto.v1.EncryptionInfo;
import io.prosima.proto.v1.ImageAnchor;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.PlacementInfo;
import io.prosima.proto.v1.TileLeaf;
import io.prosima.proto.wire.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * Ingests one image (DESIGN.md, provenance pipeline): canonical tiles → content hashes → E's
 * latents → Merkle root → data key → per-tile AES-256-GCM → r-of-s fragments → placement, upload
 * and signed receipts → only then the ImageAnchor and the AccessGrants (owner first), committed in
 * one batch.
 *
 * <p>Idempotent: the image id is given or derived from the owner and the content, and the data key
 * is derived from the owner's secret ({@link DataKeys}), so re-running an interrupted ingest either
 * re-uploads (nothing anchored yet; nodes accept the same uploader's fragments again) or only
 * commits the grants that are missing (anchored already).
 */
public final class ImageIngest {
  public static final String AES_256_GCM = "AES-256-GCM";

  /** How to store: code r-of-s, the region placement starts from, who else gets the key. */
  public record Options(int r, int s, String region, List<Grantee> grantees) {
    public Options {
      if (r < 1 || r > s) {
        throw new IllegalArgumentException("code must have 1 <= r <= s, got " + r + "/" + s);
      }
      grantees = List.copyOf(grantees);
    }
  }

  private final ChainNodes nodes;
  private final TileEncoder encoder;
  private final NodeClient via;
  private final FragmentUploader uploader;
  private final ChainTxs txs;
  private final SecureRandom random = new SecureRandom();

  public ImageIngest(ChainNodes nodes, TileEncoder encoder, NodeClient via, ExecutorService calls) {
    this.nodes = nodes;
    this.encoder = encoder;
    this.via = via;
    this.uploader = new FragmentUploader(nodes, calls);
    this.txs = new ChainTxs(nodes);
  }

  /** Thrown for anything that stops one image; the message is one clear line. */
  public static final class IngestException extends java.io.IOException {
    public IngestException(String message) {
      super(message);
    }
  }

  public IngestResult ingest(Path file, String givenId, Options options)
      throws IOException, IngestException, InterruptedException {
    if (options.s() > nodes.placementNodes().size()) {
      throw new IngestException(
          "code "
              + options.r()
              + "/"
              + options.s()
              + " needs "
              + options.s()
              + " validators; the chain has "
              + nodes.placementNodes().size());
    }
    long t0 = System.nanoTime();
    ImageInput input = ImageInput.read(file);
    long t1 = System.nanoTime();
    TimedEncoder timed = new TimedEncoder(encoder);
    ImageFingerprint fp = ImageFingerprint.of(input.unitImage(), encoder == null ? null : timed);
    long t2 = System.nanoTime();
    String imageId = givenId != null ? givenId : derivedId(fp);
    byte[] myX25519 = nodes.key().getX25519PrivateKey().toByteArray();

    ImageHistory history = existing(imageId);
    if (history != null) {
      return complete(history, fp, imageId, input, file, options, ms(t0, t1), ms(t1, t2), timed);
    }

    DataKey key = DataKeys.derive(myX25519, nodes.chainId(), imageId, 0);
    try {
      TileSealer sealer =
          new TileSealer(nodes.chainId(), imageId, key, options.r(), options.s(), random);
      int tiles = fp.canonicalTiles().size();
      byte[][] encrypted = new byte[tiles][];
      long t3 = System.nanoTime();
      for (int t = 0; t < tiles; t++) {
        encrypted[t] = sealer.encrypt(t, fp.canonicalTiles().get(t));
      }
      long t4 = System.nanoTime();
      byte[][][] fragments = new byte[tiles][][];
      long stored = 0;
      for (int t = 0; t < tiles; t++) {
        fragments[t] = sealer.encode(encrypted[t]);
        for (byte[] f : fragments[t]) {
          stored += f.length;
        }
      }
      long t5 = System.nanoTime();
      PlacementInfo placement;
      try {
        placement =
            uploader.upload(imageId, 0, fragments, options.r(), options.s(), options.region());
      } catch (FragmentUploader.UploadException e) {
        throw new IngestException(imageId + ": " + e.getMessage());
      }
      long t6 = System.nanoTime();
      List<Payload> payloads = new ArrayList<>();
      payloads.add(
          Payload.newBuilder()
              .setImageAnchor(
                  anchor(imageId, fp, input, placement, timed.label()).toBuilder()
                      .setSimilarityCode(
                          ByteString.copyFrom(timed.similarityCode(input.unitImage())))
                      .build())
              .build());
      for (Grantee g : granteesWithOwner(options)) {
        payloads.add(grant(imageId, 0, key, g));
      }
      try {
        txs.commit(via, payloads);
      } catch (ChainTxs.TxFailedException e) {
        throw new IngestException(imageId + ": " + e.getMessage());
      }
      long t7 = System.nanoTime();
      return new IngestResult(
          imageId,
          IngestResult.Outcome.ANCHORED,
          HexFormat.of().formatHex(fp.merkleRoot()),
          tiles,
          Files.size(file),
          stored,
          ms(t0, t1),
          ms(t1, t2) - timed.millis(),
          timed.millis(),
          ms(t3, t4),
          ms(t4, t5),
          ms(t5, t6),
          ms(t6, t7));
    } finally {
      key.destroy();
    }
  }

  /** The image is anchored already: ours and the same content, then commit what is missing. */
  private IngestResult complete(
      ImageHistory history,
      ImageFingerprint fp,
      String imageId,
      ImageInput input,
      Path file,
      Options options,
      double readMs,
      double fingerprintMs,
      TimedEncoder timed)
      throws IngestException, IOException {
    ByteString me = nodes.key().getEd25519PublicKey();
    if (!history.owner().equals(me)) {
      throw new IngestException("image id " + imageId + " is already anchored by another identity");
    }
    List<TileLeaf> onChain = history.anchor().getLeavesList();
    boolean sameContent = onChain.size() == fp.leaves().size();
    for (int i = 0; sameContent && i < onChain.size(); i++) {
      sameContent = onChain.get(i).getContentHash().equals(fp.leaves().get(i).getContentHash());
    }
    if (!sameContent) {
      throw new IngestException(
          "image id " + imageId + " is already anchored with different content");
    }
    Map<ByteString, Grantee> missing = new LinkedHashMap<>();
    for (Grantee g : granteesWithOwner(options)) {
      if (history.currentGrant(g.publicKey()).isEmpty()) {
        missing.put(g.publicKey(), g);
      }
    }
    double commitMs = 0;
    if (!missing.isEmpty()) {
      DataKey key =
          DataKeys.derive(
              nodes.key().getX25519PrivateKey().toByteArray(),
              nodes.chainId(),
              imageId,
              history.keyEpoch());
      try {
        List<Payload> payloads = new ArrayList<>();
        for (Grantee g : missing.values()) {
          payloads.add(grant(imageId, history.keyEpoch(), key, g));
        }
        long t = System.nanoTime();
        txs.commit(via, payloads);
        commitMs = ms(t, System.nanoTime());
      } catch (ChainTxs.TxFailedException e) {
        throw new IngestException(imageId + ": " + e.getMessage());
      } finally {
        key.destroy();
      }
    }
    return new IngestResult(
        imageId,
        missing.isEmpty() ? IngestResult.Outcome.ALREADY_DONE : IngestResult.Outcome.COMPLETED,
        HexFormat.of().formatHex(history.anchor().getMerkleRoot().toByteArray()),
        fp.leaves().size(),
        Files.size(file),
        0,
        readMs,
        fingerprintMs - timed.millis(),
        timed.millis(),
        0,
        0,
        0,
        commitMs);
  }

  private ImageHistory existing(String imageId) throws IngestException {
    try {
      return ImageHistory.read(via, nodes, imageId);
    } catch (ImageHistory.HistoryException e) {
      if (e.code() == Status.Code.NOT_FOUND) {
        return null;
      }
      throw new IngestException(e.getMessage());
    }
  }

  private List<Grantee> granteesWithOwner(Options options) {
    List<Grantee> out = new ArrayList<>();
    out.add(Grantee.of(nodes.key()));
    for (Grantee g : options.grantees()) {
      if (out.stream().noneMatch(x -> x.publicKey().equals(g.publicKey()))) {
        out.add(g);
      }
    }
    return out;
  }

  private Payload grant(String imageId, int epoch, DataKey key, Grantee g) {
    return grantPayload(nodes.chainId(), imageId, epoch, key, g);
  }

  /** An AccessGrant wrapping {@code key} (of {@code epoch}) for {@code g}. */
  static Payload grantPayload(String chainId, String imageId, int epoch, DataKey key, Grantee g) {
    byte[] wrapped =
        KeyWrap.wrap(
            key,
            g.encryptionKey().toByteArray(),
            new WrapContext(chainId, imageId, g.publicKey().toByteArray()));
    return Payload.newBuilder()
        .setAccessGrant(
            AccessGrant.newBuilder()
                .setImageId(imageId)
                .setGrantee(g.publicKey())
                .setWrappedKey(ByteString.copyFrom(wrapped))
                .setKeyEpoch(epoch))
        .build();
  }

  private static ImageAnchor anchor(
      String imageId,
      ImageFingerprint fp,
      ImageInput input,
      PlacementInfo placement,
      String encoderLabel) {
    return ImageAnchor.newBuilder()
        .setImageId(imageId)
        .setGrid(fp.gridProto())
        .addAllLeaves(fp.leaves())
        .setMerkleRoot(ByteString.copyFrom(fp.merkleRoot()))
        .setEncryption(EncryptionInfo.newBuilder().setAlgorithm(AES_256_GCM))
        .setPlacement(placement)
        .setModality(input.modality())
        .setSampleBits(input.sampleBits())
        .setEncoder(encoderLabel == null ? "" : encoderLabel)
        .build();
  }

  /**
   * An id from the owner and the content alone ("img-" and 32 hex digits), so the same file
   * ingested twice by the same owner names the same image, and no file name or tag leaks.
   */
  private String derivedId(ImageFingerprint fp) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("prosima/image-id/v1\0".getBytes(StandardCharsets.US_ASCII));
    b.writeBytes(nodes.key().getEd25519PublicKey().toByteArray());
    b.writeBytes(
        ByteBuffer.allocate(8).putInt(fp.grid().width()).putInt(fp.grid().height()).array());
    for (TileLeaf leaf : fp.leaves()) {
      b.writeBytes(leaf.getContentHash().toByteArray());
    }
    return "img-" + HexFormat.of().formatHex(Sha256.hash(b.toByteArray())).substring(0, 32);
  }

  private static double ms(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1e6;
  }

  /** Times the encoder calls, so E's share of the fingerprint is reported apart. */
  private static final class TimedEncoder implements TileEncoder {
    private final TileEncoder inner;
    private long nanos;

    TimedEncoder(TileEncoder inner) {
      this.inner = inner;
    }

    @Override
    public float[][] embed(List<float[]> tiles) throws IOException {
      long t = System.nanoTime();
      try {
        return inner.embed(tiles);
      } finally {
        nanos += System.nanoTime() - t;
      }
    }

    @Override
    public String label() {
      return inner == null ? "" : inner.label();
    }

    @Override
    public byte[] similarityCode(io.prosima.imaging.io.GrayImage image) throws IOException {
      if (inner == null) {
        return new byte[0];
      }
      long t = System.nanoTime();
      try {
        return inner.similarityCode(image);
      } finally {
        nanos += System.nanoTime() - t;
      }
    }

    double millis() {
      return nanos / 1e6;
    }
  }
}
