package io.prosima.node.image;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.prosima.consensus.execution.AnchorLeaves;
import io.prosima.consensus.execution.Refusal;
import io.prosima.imaging.tiling.TileGrid;
import io.prosima.proto.v1.ImageAnchor;
import io.prosima.proto.v1.RefusalCode;
import io.prosima.proto.v1.TileLeaf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An image fingerprint kept off chain: the {@link ImageAnchor} payload (grid, leaves with content
 * hashes and latents, Merkle root, encoder label) as protobuf JSON, so `image verify --fingerprint`
 * runs the same {@code ImageVerifier} on the same leaves an anchor would carry.
 *
 * <p>A file is untrusted input: {@link #read} refuses anything that is not exactly such a payload
 * (unknown fields, a grid that is not the tile grid of its stated size, leaves out of order or of
 * the wrong length, a latent of another dimension than E's, a non-finite scale) and, last, a Merkle
 * root that does not match the leaves. The root check is what catches an edited leaf: whoever
 * changes a content hash or latent must also recompute the root, and then the file no longer
 * matches the root a hospital recorded or anchored.
 */
public final class FingerprintFile {
  /**
   * Largest file read: 1024 tiles (the grid limit) of about 300 JSON bytes each fit well inside;
   * checked before the file is read so a huge file costs nothing.
   */
  static final long FILE_BYTES_MAX = 1 << 20;

  /** E's latent is 64 int8 values; the leaves on chain never hold more (issue 13: at most 64). */
  static final int LATENT_BYTES_MAX = 64;

  static final int HASH_BYTES = 32;

  private FingerprintFile() {}

  /** The payload of an anchor for {@code fp}, without image id or storage (none exist offline). */
  public static ImageAnchor anchorOf(ImageFingerprint fp, ImageInput input, String encoderLabel) {
    return ImageAnchor.newBuilder()
        .setGrid(fp.gridProto())
        .addAllLeaves(fp.leaves())
        .setMerkleRoot(com.google.protobuf.ByteString.copyFrom(fp.merkleRoot()))
        .setModality(input.modality())
        .setSampleBits(input.sampleBits())
        .setEncoder(encoderLabel == null ? "" : encoderLabel)
        .build();
  }

  public static void write(ImageAnchor anchor, Path out) throws IOException {
    Files.writeString(out, JsonFormat.printer().print(anchor) + "\n", StandardCharsets.UTF_8);
  }

  /**
   * Reads and checks a fingerprint file.
   *
   * @throws FingerprintFileException naming the file and the first rule it breaks
   */
  public static ImageAnchor read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new FingerprintFileException(file + ": no such fingerprint file");
    }
    long size = Files.size(file);
    if (size > FILE_BYTES_MAX) {
      throw new FingerprintFileException(
          file + ": " + size + " bytes, above the " + FILE_BYTES_MAX + "-byte limit");
    }
    ImageAnchor.Builder b = ImageAnchor.newBuilder();
    try {
      JsonFormat.parser().merge(Files.readString(file, StandardCharsets.UTF_8), b);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // JsonFormat throws unchecked exceptions on some malformed input (e.g. bad base64).
      throw new FingerprintFileException(
          file + ": not an image fingerprint (ImageAnchor JSON): " + e.getMessage());
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new FingerprintFileException(file + ": not UTF-8 text");
    }
    ImageAnchor anchor = b.build();
    String problem = problem(anchor);
    if (problem != null) {
      throw new FingerprintFileException(file + ": refused: " + problem);
    }
    return anchor;
  }

  /**
   * The first rule {@code a} breaks, or null when it is a well-formed, self-consistent anchor: the
   * grid this tiling makes for the stated size (a rule only a file needs), then the chain's own
   * rules for the grid, leaves and Merkle root ({@link AnchorLeaves}, the code every validator
   * runs), and latents no longer than E's.
   */
  static String problem(ImageAnchor a) {
    var g = a.getGrid();
    int w = g.getImageWidth();
    int h = g.getImageHeight();
    if (w < 1 || h < 1 || w > TileGrid.PADDED_SIDE_PX_MAX || h > TileGrid.PADDED_SIDE_PX_MAX) {
      return "image size " + w + "x" + h + " outside 1.." + TileGrid.PADDED_SIDE_PX_MAX;
    }
    TileGrid grid = new TileGrid(w, h);
    if (g.getRows() != grid.rows() || g.getCols() != grid.cols()) {
      return "grid "
          + g.getRows()
          + "x"
          + g.getCols()
          + " is not the "
          + grid.rows()
          + "x"
          + grid.cols()
          + " tile grid of a "
          + w
          + "x"
          + h
          + " image";
    }
    Refusal chainRule = AnchorLeaves.check(a);
    if (chainRule != null) {
      return chainRule.code() == RefusalCode.REFUSAL_MERKLE_ROOT_MISMATCH
          ? chainRule.message() + " (the file was altered or damaged)"
          : chainRule.message();
    }
    List<TileLeaf> leaves = a.getLeavesList();
    for (int i = 0; i < leaves.size(); i++) {
      if (leaves.get(i).getLatent().size() > LATENT_BYTES_MAX) {
        return "leaf " + i + ": latent above " + LATENT_BYTES_MAX + " bytes";
      }
    }
    return null;
  }
}
