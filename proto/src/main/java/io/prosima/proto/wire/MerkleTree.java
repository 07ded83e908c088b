package io.prosima.proto.wire;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.MerkleProof;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Merkle tree hashing of RFC 6962 / RFC 9162 (section 2.1): leaf = SHA-256(0x00 || data), node =
 * SHA-256(0x01 || left || right), the left subtree holding the largest power of two below n. The
 * prefixes stop a leaf from being passed off as an inner node. The empty tree's root is SHA-256 of
 * the empty string.
 */
public final class MerkleTree {
  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;

  private MerkleTree() {}

  public static byte[] leafHash(byte[] data) {
    return leafHash(data, Sha256.digest());
  }

  // The tree walks reuse one digest (digest() resets it): a root over n leaves hashes 2n - 1
  // times, and cloning a fresh digest each time showed in admission profiles.
  private static byte[] leafHash(byte[] data, MessageDigest md) {
    md.update(LEAF_PREFIX);
    md.update(data);
    return md.digest();
  }

  static byte[] nodeHash(byte[] left, byte[] right) {
    return nodeHash(left, right, Sha256.digest());
  }

  private static byte[] nodeHash(byte[] left, byte[] right, MessageDigest md) {
    md.update(NODE_PREFIX);
    md.update(left);
    md.update(right);
    return md.digest();
  }

  /** Root over the given leaf data, in order. */
  public static byte[] root(List<byte[]> leaves) {
    if (leaves.isEmpty()) {
      return Sha256.hash(new byte[0]);
    }
    MessageDigest md = Sha256.digest();
    byte[][] hashes = new byte[leaves.size()][];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = leafHash(leaves.get(i), md);
    }
    return subtreeRoot(hashes, 0, hashes.length, md);
  }

  private static byte[] subtreeRoot(byte[][] leafHashes, int from, int to) {
    return subtreeRoot(leafHashes, from, to, Sha256.digest());
  }

  private static byte[] subtreeRoot(byte[][] leafHashes, int from, int to, MessageDigest md) {
    int n = to - from;
    if (n == 1) {
      return leafHashes[from];
    }
    int k = largestPowerOfTwoBelow(n);
    byte[] left = subtreeRoot(leafHashes, from, from + k, md);
    byte[] right = subtreeRoot(leafHashes, from + k, to, md);
    return nodeHash(left, right, md);
  }

  /** The audit path for leaf {@code index} (RFC 9162 section 2.1.3.1). */
  public static MerkleProof proof(List<byte[]> leaves, int index) {
    if (index < 0 || index >= leaves.size()) {
      throw new IllegalArgumentException(
          "leaf index " + index + " outside a tree of " + leaves.size() + " leaves");
    }
    byte[][] hashes = new byte[leaves.size()][];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = leafHash(leaves.get(i));
    }
    List<byte[]> path = new ArrayList<>();
    collectPath(hashes, 0, hashes.length, index, path);
    MerkleProof.Builder proof =
        MerkleProof.newBuilder().setLeafIndex(index).setLeafCount(leaves.size());
    for (byte[] sibling : path) {
      proof.addPath(ByteString.copyFrom(sibling));
    }
    return proof.build();
  }

  // Fills path bottom-up: recursion reaches the leaf first, then appends siblings on the way out.
  private static void collectPath(
      byte[][] leafHashes, int from, int to, int index, List<byte[]> path) {
    int n = to - from;
    if (n == 1) {
      return;
    }
    int k = largestPowerOfTwoBelow(n);
    if (index - from < k) {
      collectPath(leafHashes, from, from + k, index, path);
      path.add(subtreeRoot(leafHashes, from + k, to));
    } else {
      collectPath(leafHashes, from + k, to, index, path);
      path.add(subtreeRoot(leafHashes, from, from + k));
    }
  }

  /**
   * Checks that {@code leafData} sits at the proof's index in a tree with root {@code root} (RFC
   * 9162 section 2.1.3.2). Returns false for any malformed proof rather than throwing: proofs come
   * from the network.
   */
  public static boolean verify(byte[] root, byte[] leafData, MerkleProof proof) {
    long index = proof.getLeafIndex();
    long count = proof.getLeafCount();
    if (count <= 0 || index < 0 || index >= count || proof.getPathCount() > 64) {
      return false;
    }
    long fn = index;
    long sn = count - 1;
    byte[] r = leafHash(leafData);
    for (ByteString siblingBytes : proof.getPathList()) {
      if (siblingBytes.size() != Sha256.BYTES || sn == 0) {
        return false;
      }
      byte[] sibling = siblingBytes.toByteArray();
      if ((fn & 1) == 1 || fn == sn) {
        r = nodeHash(sibling, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = nodeHash(r, sibling);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && Arrays.equals(r, root);
  }

  private static int largestPowerOfTwoBelow(int n) {
    // Largest power of two strictly less than n (n >= 2).
    return Integer.highestOneBit(n - 1);
  }
}
