package io.prosima.node.grpc;

import static io.prosima.node.fragments.FragmentChain.AUDITOR;
import static io.prosima.node.fragments.FragmentChain.HOSPITAL_0;
import static io.prosima.node.fragments.FragmentChain.HOSPITAL_1;
import static io.prosima.node.fragments.FragmentChain.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.prosima.node.bench.AnchorTxFactory;
import io.prosima.node.client.NodeClient;
import io.prosima.node.client.TxProofVerifier;
import io.prosima.node.fragments.FragmentChain;
import io.prosima.proto.v1.LedgerQueryGrpc.LedgerQueryBlockingStub;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.SearchSimilarRequest;
import io.prosima.proto.v1.SearchSimilarResponse;
import io.prosima.proto.v1.SimilarImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LedgerQuery.SearchSimilar end to end on an in-process node: nearest anchored codes with proofs,
 * only images the caller may see, bad requests refused, and the index rebuilt after a restart.
 */
class SimilarSearchTest {
  @TempDir Path dir;
  private FragmentChain c;

  // Three codes: A, A with 3 bits flipped (B), and one far from both (C).
  static final byte[] A = code(0x00);
  static final byte[] B = flipped(A, 3);
  static final byte[] C = code(0xA5);

  static byte[] code(int fill) {
    byte[] b = new byte[16];
    java.util.Arrays.fill(b, (byte) fill);
    return b;
  }

  static byte[] flipped(byte[] code, int bits) {
    byte[] out = code.clone();
    for (int i = 0; i < bits; i++) {
      out[i] ^= (byte) 0x01;
    }
    return out;
  }

  @BeforeEach
  void start() throws Exception {
    c = new FragmentChain(dir, cfg -> cfg);
    anchor(HOSPITAL_0, "scan-a", A);
    anchor(HOSPITAL_0, "scan-c", C);
    anchor(HOSPITAL_1, "scan-b", B);
    // An anchor without a code is not indexed.
    c.anchor(HOSPITAL_0, "scan-nocode");
  }

  @AfterEach
  void stop() {
    c.close();
  }

  private void anchor(int who, String id, byte[] code) {
    c.commit(
        who,
        Payload.newBuilder()
            .setImageAnchor(
                AnchorTxFactory.anchor(id).toBuilder()
                    .setEncoder("shipped-sha256:0123456789abcdef")
                    .setSimilarityCode(ByteString.copyFrom(code)))
            .build());
  }

  private static SearchSimilarResponse search(LedgerQueryBlockingStub q, byte[] code, int k) {
    return q.searchSimilar(
        SearchSimilarRequest.newBuilder().setCode(ByteString.copyFrom(code)).setK(k).build());
  }

  private static List<String> ids(SearchSimilarResponse r) {
    return r.getMatchesList().stream().map(SimilarImage::getImageId).toList();
  }

  @Test
  void anAuditorGetsTheNearestImagesWithDistancesAndProofsThatVerify() {
    SearchSimilarResponse r = search(c.client(AUDITOR).query(), A, 10);
    assertEquals(List.of("scan-a", "scan-b", "scan-c"), ids(r));
    // A and C differ in 4 bits of every byte.
    assertEquals(List.of(0, 3, 64), distancesOf(r));
    for (SimilarImage m : r.getMatchesList()) {
      assertNull(TxProofVerifier.check(m.getAnchor(), c.chain.genesis()));
      assertEquals(
          m.getImageId(), m.getAnchor().getTx().getPayload().getImageAnchor().getImageId());
    }
    assertEquals(List.of("scan-a"), ids(search(c.client(AUDITOR).query(), A, 1)));
  }

  private static List<Integer> distancesOf(SearchSimilarResponse r) {
    return r.getMatchesList().stream().map(SimilarImage::getDistance).toList();
  }

  @Test
  void aHospitalFindsOnlyImagesItMaySee() {
    // hospital-1 owns scan-b only: the nearer scan-a of hospital-0 is never in its answer.
    assertEquals(List.of("scan-b"), ids(search(c.client(HOSPITAL_1).query(), A, 10)));
    assertEquals(
        List.of("scan-a", "scan-c"),
        ids(search(c.client(HOSPITAL_0).query(), A, 10)).subList(0, 2));
    c.grant(HOSPITAL_0, "scan-a", HOSPITAL_1, 0);
    assertEquals(List.of("scan-a", "scan-b"), ids(search(c.client(HOSPITAL_1).query(), A, 10)));
    c.revoke(HOSPITAL_0, "scan-a", HOSPITAL_1);
    assertEquals(List.of("scan-b"), ids(search(c.client(HOSPITAL_1).query(), A, 10)));
  }

  @Test
  void aValidatorSeesEveryImage() throws Exception {
    try (NodeClient validator =
        new NodeClient(
            "127.0.0.1:" + c.node.grpcPort(), c.chain.validatorKeys().get(0), c.chain.genesis())) {
      assertEquals(3, search(validator.query(), C, 10).getMatchesCount());
    }
  }

  @Test
  void aBadCodeLengthOrKIsRefusedAndChangesNothing() {
    LedgerQueryBlockingStub q = c.client(AUDITOR).query();
    for (int bytes : new int[] {0, 8, 15, 17, 1024}) {
      assertRefused(Status.Code.INVALID_ARGUMENT, () -> search(q, new byte[bytes], 5));
    }
    assertRefused(Status.Code.INVALID_ARGUMENT, () -> search(q, A, 0));
    assertRefused(Status.Code.INVALID_ARGUMENT, () -> search(q, A, 101));
    assertRefused(Status.Code.INVALID_ARGUMENT, () -> search(q, A, Integer.MAX_VALUE));
    assertEquals(List.of("scan-a", "scan-b", "scan-c"), ids(search(q, A, 10)));
  }

  @Test
  void anAnchorWithABadCodeLengthIsRefusedAtAdmission() {
    var r =
        c.client(HOSPITAL_0)
            .submit()
            .submit(
                io.prosima.proto.v1.SubmitRequest.newBuilder()
                    .setTx(
                        new AnchorTxFactory(c.chain.genesis().getChainId())
                            .sign(
                                c.key(HOSPITAL_0),
                                1_000,
                                1_000,
                                Payload.newBuilder()
                                    .setImageAnchor(
                                        AnchorTxFactory.anchor("scan-bad").toBuilder()
                                            .setEncoder("shipped-sha256:0123456789abcdef")
                                            .setSimilarityCode(ByteString.copyFrom(new byte[15])))
                                    .build()))
                    .build());
    assertTrue(!r.getAccepted(), r.getMessage());
    assertEquals(io.prosima.proto.v1.RefusalCode.REFUSAL_PAYLOAD_INVALID, r.getCode());
    assertTrue(r.getMessage().contains("similarity_code"), r.getMessage());
  }

  @Test
  void theIndexIsRebuiltFromTheChainAfterARestart() throws Exception {
    c.restart(cfg -> cfg);
    assertEquals(
        List.of("scan-a", "scan-b", "scan-c"), ids(search(c.client(AUDITOR).query(), A, 10)));
    // Blocks committed after the restart are indexed too.
    anchor(HOSPITAL_0, "scan-a2", flipped(A, 1));
    assertEquals(
        List.of("scan-a", "scan-a2", "scan-b"), ids(search(c.client(AUDITOR).query(), A, 3)));
  }
}
