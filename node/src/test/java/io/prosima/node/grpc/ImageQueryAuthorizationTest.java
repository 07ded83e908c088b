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
import io.prosima.node.client.NodeClient;
import io.prosima.node.client.TxProofVerifier;
import io.prosima.node.fragments.FragmentChain;
import io.prosima.proto.v1.GetImageProvenanceRequest;
import io.prosima.proto.v1.GetTxRequest;
import io.prosima.proto.v1.ImageProvenanceResponse;
import io.prosima.proto.v1.LedgerQueryGrpc.LedgerQueryBlockingStub;
import io.prosima.proto.v1.ListTxsByImageRequest;
import io.prosima.proto.v1.ListTxsBySignerRequest;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.TxResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image queries answer the owner, live grantees, auditors and validators (DESIGN.md). */
class ImageQueryAuthorizationTest {
  @TempDir Path dir;
  private FragmentChain c;
  private ByteString anchorTx;

  @BeforeEach
  void start() throws Exception {
    c = new FragmentChain(dir, cfg -> cfg);
    anchorTx = c.anchor(HOSPITAL_0, "scan-q").getTxHash();
  }

  @AfterEach
  void stop() {
    c.close();
  }

  private LedgerQueryBlockingStub as(int who) {
    return c.client(who).query();
  }

  private static void readsImage(LedgerQueryBlockingStub q, ByteString tx) {
    assertTrue(
        q.listTxsByImage(ListTxsByImageRequest.newBuilder().setImageId("scan-q").build())
                .getTxsCount()
            >= 1);
    q.getTx(GetTxRequest.newBuilder().setTxHash(tx).build());
    assertTrue(
        q.getImageProvenance(GetImageProvenanceRequest.newBuilder().setImageId("scan-q").build())
                .getEntriesCount()
            >= 1);
  }

  private static void refusedImage(LedgerQueryBlockingStub q, ByteString tx) {
    assertRefused(
        Status.Code.PERMISSION_DENIED,
        () -> q.listTxsByImage(ListTxsByImageRequest.newBuilder().setImageId("scan-q").build()));
    assertRefused(
        Status.Code.PERMISSION_DENIED,
        () -> q.getTx(GetTxRequest.newBuilder().setTxHash(tx).build()));
    assertRefused(
        Status.Code.PERMISSION_DENIED,
        () ->
            q.getImageProvenance(
                GetImageProvenanceRequest.newBuilder().setImageId("scan-q").build()));
  }

  @Test
  void aHospitalWithoutAGrantIsRefusedTheImagesRecords() {
    refusedImage(as(HOSPITAL_1), anchorTx);
    assertRefused(
        Status.Code.PERMISSION_DENIED,
        () ->
            as(HOSPITAL_1)
                .listTxsBySigner(
                    ListTxsBySignerRequest.newBuilder()
                        .setSigner(c.publicKey(HOSPITAL_0))
                        .build()));
    // Its own transactions it may list.
    as(HOSPITAL_1)
        .listTxsBySigner(
            ListTxsBySignerRequest.newBuilder().setSigner(c.publicKey(HOSPITAL_1)).build());
  }

  @Test
  void theOwnerAuditorsValidatorsAndLiveGranteesReadTheImagesRecords() throws Exception {
    readsImage(as(HOSPITAL_0), anchorTx);
    readsImage(as(AUDITOR), anchorTx);
    try (NodeClient validator =
        new NodeClient(
            "127.0.0.1:" + c.node.grpcPort(), c.chain.validatorKeys().get(0), c.chain.genesis())) {
      readsImage(validator.query(), anchorTx);
      validator
          .query()
          .listTxsBySigner(
              ListTxsBySignerRequest.newBuilder().setSigner(c.publicKey(HOSPITAL_0)).build());
    }
    as(AUDITOR)
        .listTxsBySigner(
            ListTxsBySignerRequest.newBuilder().setSigner(c.publicKey(HOSPITAL_0)).build());

    c.grant(HOSPITAL_0, "scan-q", HOSPITAL_1, 0);
    readsImage(as(HOSPITAL_1), anchorTx);
    c.revoke(HOSPITAL_0, "scan-q", HOSPITAL_1);
    refusedImage(as(HOSPITAL_1), anchorTx);
  }

  @Test
  void aTransactionThatNamesNoImageIsNotRestricted() {
    var r =
        c.commit(
            HOSPITAL_0,
            Payload.newBuilder()
                .setModelAnchor(
                    io.prosima.proto.v1.ModelAnchor.newBuilder()
                        .setModelId("unet")
                        .setVersion("1")
                        .setWeightsSha256(ByteString.copyFrom(new byte[32])))
                .build());
    as(HOSPITAL_1).getTx(GetTxRequest.newBuilder().setTxHash(r.getTxHash()).build());
  }

  @Test
  void provenanceListsEveryImageTransactionInCommitOrderWithProofsThatVerify() {
    c.grant(HOSPITAL_0, "scan-q", HOSPITAL_1, 0);
    c.revoke(HOSPITAL_0, "scan-q", HOSPITAL_1);
    List<TxResponse> all = new ArrayList<>();
    ByteString token = ByteString.EMPTY;
    int pages = 0;
    do {
      ImageProvenanceResponse page =
          as(AUDITOR)
              .getImageProvenance(
                  GetImageProvenanceRequest.newBuilder()
                      .setImageId("scan-q")
                      .setLimit(2)
                      .setPageToken(token)
                      .build());
      all.addAll(page.getEntriesList());
      token = page.getNextPageToken();
      pages++;
    } while (!token.isEmpty());
    assertEquals(2, pages);
    assertEquals(
        List.of(
            Payload.KindCase.IMAGE_ANCHOR,
            Payload.KindCase.ACCESS_GRANT,
            Payload.KindCase.ACCESS_REVOKE),
        all.stream().map(e -> e.getTx().getPayload().getKindCase()).toList());
    assertEquals(anchorTx, all.get(0).getTxHash());
    for (TxResponse entry : all) {
      assertNull(TxProofVerifier.check(entry, c.chain.genesis()));
    }
    assertTrue(all.get(0).getHeight() < all.get(1).getHeight());
  }

  @Test
  void provenanceOfAnImageNobodyAnchoredIsNotFoundForEveryone() {
    assertRefused(
        Status.Code.NOT_FOUND,
        () ->
            as(AUDITOR)
                .getImageProvenance(
                    GetImageProvenanceRequest.newBuilder().setImageId("never").build()));
    // An uploader must tell "not anchored yet" from "not yours" to finish an interrupted ingest.
    assertRefused(
        Status.Code.NOT_FOUND,
        () ->
            as(HOSPITAL_1)
                .getImageProvenance(
                    GetImageProvenanceRequest.newBuilder().setImageId("never").build()));
  }
}
