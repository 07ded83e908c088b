package io.prosima.proto.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.MerkleProof;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {
  private static List<byte[]> leaves(int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(("leaf-" + i).getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void rootMatchesTheRfc6962ReferenceTreeOfEightLeaves() {
    // Test vector from the certificate-transparency reference implementation (merkle_test.go):
    // leaves "", 00, 10, 2021, 3031, 40414243, 5051525354555657, 606162636465666768696a6b6c6d6e6f.
    HexFormat hex = HexFormat.of();
    List<byte[]> data =
        List.of(
            new byte[0],
            hex.parseHex("00"),
            hex.parseHex("10"),
            hex.parseHex("2021"),
            hex.parseHex("3031"),
            hex.parseHex("40414243"),
            hex.parseHex("5051525354555657"),
            hex.parseHex("606162636465666768696a6b6c6d6e6f"));
    assertArrayEquals(
        hex.parseHex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
        MerkleTree.root(data));
    assertArrayEquals(
        hex.parseHex("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
        MerkleTree.root(data.subList(0, 2)));
  }

  @Test
  void everyProofVerifiesForTreesOfOneToFortyLeaves() {
    for (int n = 1; n <= 40; n++) {
      List<byte[]> data = leaves(n);
      byte[] root = MerkleTree.root(data);
      for (int i = 0; i < n; i++) {
        MerkleProof proof = MerkleTree.proof(data, i);
        assertTrue(MerkleTree.verify(root, data.get(i), proof), "n=" + n + " i=" + i);
      }
    }
  }

  @Test
  void aTamperedProofOrLeafFails() {
    List<byte[]> data = leaves(13);
    byte[] root = MerkleTree.root(data);
    MerkleProof proof = MerkleTree.proof(data, 6);

    byte[] sibling = proof.getPath(1).toByteArray();
    sibling[0] ^= 1;
    MerkleProof tamperedPath = proof.toBuilder().setPath(1, ByteString.copyFrom(sibling)).build();
    assertFalse(MerkleTree.verify(root, data.get(6), tamperedPath));

    assertFalse(MerkleTree.verify(root, data.get(7), proof), "proof for another leaf");
    assertFalse(MerkleTree.verify(root, data.get(6), proof.toBuilder().setLeafIndex(7).build()));
    // A different tree shape (7 leaves) fails. Sizes 9..16 give leaf 6 the same path shape, which
    // is why a tree size must be authenticated elsewhere: TxProofs binds it to the header.
    assertFalse(MerkleTree.verify(root, data.get(6), proof.toBuilder().setLeafCount(7).build()));
    assertFalse(
        MerkleTree.verify(
            root,
            data.get(6),
            proof.toBuilder()
                .clearPath()
                .addAllPath(proof.getPathList().subList(1, proof.getPathCount()))
                .build()));
    assertFalse(
        MerkleTree.verify(
            root, data.get(6), proof.toBuilder().addPath(ByteString.copyFrom(root)).build()));
    byte[] otherRoot = root.clone();
    otherRoot[31] ^= 1;
    assertFalse(MerkleTree.verify(otherRoot, data.get(6), proof));
  }

  @Test
  void aProofForAnIndexOutsideTheTreeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> MerkleTree.proof(leaves(3), 3));
    assertFalse(
        MerkleTree.verify(
            MerkleTree.root(leaves(3)),
            leaves(3).get(0),
            MerkleProof.newBuilder().setLeafIndex(0).setLeafCount(0).build()));
  }
}
