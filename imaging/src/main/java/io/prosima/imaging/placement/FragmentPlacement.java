package io.prosima.imaging.placement;

import io.prosima.proto.wire.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Deterministic choice of the s nodes that store one tile's fragments: rendezvous
 * (highest-random-weight) hashing with SHA-256, locality first.
 *
 * <p>Every node gets the score SHA-256("prosima/placement/v1" 0x00 ‖ u32 len(imageId) ‖ imageId
 * UTF-8 ‖ u32 tileIndex ‖ node public key), compared as an unsigned big-endian number. Nodes of the
 * uploader's region come first, by score; then all nodes of the other regions, ranked together by
 * the same score. The first s are chosen. Every node computes the same answer from the same inputs,
 * and a node joining or leaving only changes the tiles where it ranks (or ranked) in the top s —
 * the property that makes HRW move about s/N fragments per tile, the minimum.
 *
 * <p>The returned order is the retrieval preference (nearest first). Fragment indices are not tied
 * to that order: each fragment's header names its index, so when membership changes the new node
 * receives the index the departed one held, and nobody else's fragment moves.
 */
public final class FragmentPlacement {
  /** Validator sets are tens of nodes; the cap bounds the work of one placement call. */
  public static final int NODES_MAX = 10_000;

  private static final byte[] TAG = "prosima/placement/v1\0".getBytes(StandardCharsets.US_ASCII);

  private FragmentPlacement() {}

  /**
   * The s nodes for tile {@code tileIndex} of image {@code imageId}.
   *
   * @throws IllegalArgumentException if s &lt; 1, s exceeds the number of nodes, or a public key
   *     appears twice
   */
  public static List<PlacementNode> choose(
      String imageId,
      int tileIndex,
      Collection<PlacementNode> nodes,
      String uploaderRegion,
      int s) {
    if (imageId == null || imageId.isEmpty()) {
      throw new IllegalArgumentException("image id is empty");
    }
    if (tileIndex < 0) {
      throw new IllegalArgumentException("tile index " + tileIndex + " is negative");
    }
    if (nodes.size() > NODES_MAX) {
      throw new IllegalArgumentException("" + nodes.size() + " nodes, max " + NODES_MAX);
    }
    if (s < 1 || s > nodes.size()) {
      throw new IllegalArgumentException(
          "cannot place " + s + " fragments on " + nodes.size() + " distinct nodes");
    }
    Set<String> keys = new HashSet<>();
    for (PlacementNode n : nodes) {
      if (!keys.add(Arrays.toString(n.publicKeyUnsafe()))) {
        throw new IllegalArgumentException("node " + n + " appears twice");
      }
    }
    byte[] prefix = prefix(imageId, tileIndex);
    MessageDigest md = Sha256.digest();
    List<Scored> local = new ArrayList<>();
    List<Scored> remote = new ArrayList<>();
    for (PlacementNode n : nodes) {
      md.update(prefix);
      md.update(n.publicKeyUnsafe());
      Scored sc = new Scored(n, md.digest());
      (n.region().equals(uploaderRegion) ? local : remote).add(sc);
    }
    local.sort(null);
    remote.sort(null);
    List<PlacementNode> out = new ArrayList<>(s);
    for (Scored sc : local) {
      if (out.size() == s) {
        break;
      }
      out.add(sc.node);
    }
    for (Scored sc : remote) {
      if (out.size() == s) {
        break;
      }
      out.add(sc.node);
    }
    return List.copyOf(out);
  }

  private static byte[] prefix(String imageId, int tileIndex) {
    byte[] id = imageId.getBytes(StandardCharsets.UTF_8);
    byte[] p = new byte[TAG.length + 4 + id.length + 4];
    System.arraycopy(TAG, 0, p, 0, TAG.length);
    int o = TAG.length;
    putU32(p, o, id.length);
    System.arraycopy(id, 0, p, o + 4, id.length);
    putU32(p, o + 4 + id.length, tileIndex);
    return p;
  }

  private static void putU32(byte[] b, int o, int v) {
    b[o] = (byte) (v >>> 24);
    b[o + 1] = (byte) (v >>> 16);
    b[o + 2] = (byte) (v >>> 8);
    b[o + 3] = (byte) v;
  }

  /** Highest score first; SHA-256 ties are not expected, but the key breaks them anyway. */
  private record Scored(PlacementNode node, byte[] score) implements Comparable<Scored> {
    @Override
    public int compareTo(Scored o) {
      int c = Arrays.compareUnsigned(o.score, score);
      return c != 0 ? c : Arrays.compareUnsigned(node.publicKeyUnsafe(), o.node.publicKeyUnsafe());
    }
  }
}
