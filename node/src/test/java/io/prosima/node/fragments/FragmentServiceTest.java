package io.prosima.node.fragments;

import static io.prosima.node.fragments.FragmentChain.AUDITOR;
import static io.prosima.node.fragments.FragmentChain.HOSPITAL_0;
import static io.prosima.node.fragments.FragmentChain.HOSPITAL_1;
import static io.prosima.node.fragments.FragmentChain.assertRefused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.prosima.proto.v1.PutFragmentsRequest;
import io.prosima.proto.v1.PutFragmentsResponse;
import io.prosima.proto.v1.StorageReceipt;
import io.prosima.proto.v1.StoredFragment;
import io.prosima.proto.wire.ReceiptCodec;
import io.prosima.proto.wire.Sha256;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FragmentServiceTest {
  @TempDir Path dir;
  private FragmentChain c;

  private FragmentChain start(Function<io.prosima.node.NodeConfig, io.prosima.node.NodeConfig> cfg)
      throws Exception {
    c = new FragmentChain(dir, cfg);
    return c;
  }

  private FragmentChain start() throws Exception {
    return start(cfg -> cfg);
  }

  @AfterEach
  void stop() {
    if (c != null) {
      c.close();
    }
  }

  @Test
  void theUploaderStoresThenAnchorsAndTheOwnerGetsItsFragmentsBack() throws Exception {
    start();
    PutFragmentsResponse put = c.put(HOSPITAL_0, "scan-1", 0, 3, 100);
    assertEquals(3, put.getReceiptsCount());
    c.anchor(HOSPITAL_0, "scan-1");
    var got = c.get(HOSPITAL_0, "scan-1", 0, 4);
    assertEquals(3, got.getFragmentsCount(), "fragment 3 was never stored, so it is absent");
    for (int i = 0; i < 3; i++) {
      assertEquals(i, got.getFragments(i).getFragmentIndex());
      assertEquals(FragmentChain.data("scan-1", 0, 0, i, 100), got.getFragments(i).getData());
    }
  }

  @Test
  void eachReceiptIsSignedByTheNodeAndNamesTheHashOfTheStoredBytes() throws Exception {
    start();
    PutFragmentsResponse put = c.put(HOSPITAL_0, "scan-r", 0, 2, 64);
    for (int i = 0; i < 2; i++) {
      StorageReceipt r = put.getReceipts(i);
      assertTrue(ReceiptCodec.signatureValid(r));
      assertEquals(c.validatorKey(), r.getNode());
      assertEquals(c.publicKey(HOSPITAL_0), r.getUploader());
      assertEquals("test-chain", r.getChainId());
      assertEquals("scan-r", r.getImageId());
      assertEquals(0, r.getKeyEpoch());
      assertEquals(0, r.getTileIndex());
      assertEquals(i, r.getFragmentIndex());
      assertArrayEquals(
          Sha256.hash(FragmentChain.data("scan-r", 0, 0, i, 64).toByteArray()),
          r.getFragmentSha256().toByteArray());
      StorageReceipt forged = r.toBuilder().setFragmentIndex(i + 7).build();
      assertFalse(ReceiptCodec.signatureValid(forged));
    }
  }

  @Test
  void aHospitalGetsOnlyWhileItHoldsALiveGrant() throws Exception {
    start();
    c.put(HOSPITAL_0, "scan-g", 0, 2, 50);
    c.anchor(HOSPITAL_0, "scan-g");
    assertRefused(Status.Code.PERMISSION_DENIED, () -> c.get(HOSPITAL_1, "scan-g", 0, 2));
    assertRefused(Status.Code.PERMISSION_DENIED, () -> c.get(AUDITOR, "scan-g", 0, 2));

    c.grant(HOSPITAL_0, "scan-g", HOSPITAL_1, 0);
    assertEquals(2, c.get(HOSPITAL_1, "scan-g", 0, 2).getFragmentsCount());

    // The revoke is in force on this node as soon as it commits here.
    c.revoke(HOSPITAL_0, "scan-g", HOSPITAL_1);
    assertRefused(Status.Code.PERMISSION_DENIED, () -> c.get(HOSPITAL_1, "scan-g", 0, 2));
    assertEquals(2, c.get(HOSPITAL_0, "scan-g", 0, 2).getFragmentsCount());
  }

  @Test
  void sealedFederatedWeightsAreServedToHospitalsOnlyAndStayClaimedByTheirUploader()
      throws Exception {
    start();
    c.put(HOSPITAL_0, "fed.m.u0.ab", 0, 2, 10);
    assertEquals(2, c.get(HOSPITAL_1, "fed.m.u0.ab", 0, 2).getFragmentsCount());
    assertRefused(Status.Code.PERMISSION_DENIED, () -> c.get(AUDITOR, "fed.m.u0.ab", 0, 2));
    assertRefused(Status.Code.PERMISSION_DENIED, () -> c.put(HOSPITAL_1, "fed.m.u0.ab", 0, 1, 10));
  }

  @Test
  void anImageNobodyAnchoredIsNotServed() throws Exception {
    start();
    c.put(HOSPITAL_0, "pending", 0, 1, 10);
    assertRefused(Status.Code.NOT_FOUND, () -> c.get(HOSPITAL_0, "pending", 0, 1));
  }

  @Test
  void onlyTheClaimantOrTheOwnerMayPutAndOnlyHospitalsAtAll() throws Exception {
    start();
    c.put(HOSPITAL_0, "claimed", 0, 1, 10);
    // Re-running an interrupted ingest overwrites.
    c.put(HOSPITAL_0, "claimed", 0, 2, 10);
    assertRefused(Status.Code.PERMISSION_DENIED, () -> c.put(HOSPITAL_1, "claimed", 0, 1, 10));
    assertRefused(Status.Code.PERMISSION_DENIED, () -> c.put(AUDITOR, "other", 0, 1, 10));

    c.anchor(HOSPITAL_0, "claimed");
    assertRefused(Status.Code.PERMISSION_DENIED, () -> c.put(HOSPITAL_1, "claimed", 1, 1, 10));
    c.put(HOSPITAL_0, "claimed", 1, 1, 10);
  }

  @Test
  void aKeyEpochOtherThanTheNextOneIsRefused() throws Exception {
    start();
    assertRefused(Status.Code.FAILED_PRECONDITION, () -> c.put(HOSPITAL_0, "e", 1, 1, 10));
    c.put(HOSPITAL_0, "e", 0, 1, 10);
    c.anchor(HOSPITAL_0, "e");
    assertRefused(Status.Code.FAILED_PRECONDITION, () -> c.put(HOSPITAL_0, "e", 0, 1, 10));
    assertRefused(Status.Code.FAILED_PRECONDITION, () -> c.put(HOSPITAL_0, "e", 2, 1, 10));
    assertEquals(1, c.put(HOSPITAL_0, "e", 1, 1, 10).getReceiptsCount());
  }

  @Test
  void malformedRequestsAreRefusedAsInvalid() throws Exception {
    start();
    assertRefused(
        Status.Code.INVALID_ARGUMENT,
        () -> c.put(HOSPITAL_0, "big", 0, 1, FragmentLimits.FRAGMENT_BYTES_MAX + 1));
    assertRefused(Status.Code.INVALID_ARGUMENT, () -> c.put(HOSPITAL_0, "bad id", 0, 1, 10));
    assertRefused(Status.Code.INVALID_ARGUMENT, () -> c.put(HOSPITAL_0, "none", 0, 0, 10));
    StoredFragment far =
        StoredFragment.newBuilder()
            .setTileIndex(FragmentLimits.TILES_MAX)
            .setData(ByteString.copyFromUtf8("x"))
            .build();
    assertRefused(
        Status.Code.INVALID_ARGUMENT,
        () ->
            c.client(HOSPITAL_0)
                .fragments()
                .put(PutFragmentsRequest.newBuilder().setImageId("far").addFragments(far).build()));
    StoredFragment one = StoredFragment.newBuilder().setData(ByteString.copyFromUtf8("x")).build();
    assertRefused(
        Status.Code.INVALID_ARGUMENT,
        () ->
            c.client(HOSPITAL_0)
                .fragments()
                .put(
                    PutFragmentsRequest.newBuilder()
                        .setImageId("twice")
                        .addFragments(one)
                        .addFragments(one)
                        .build()));
    assertEquals(0, c.node.fragments().fragmentsStored());
  }

  @Test
  void aPutAboveTheUploadersQuotaIsRefusedAndOverwritesAreNotCountedTwice() throws Exception {
    start(cfg -> cfg.withFragments(3_000, 3_600_000, 3_600_000));
    c.put(HOSPITAL_0, "q1", 0, 2, 1_000);
    c.put(HOSPITAL_0, "q1", 0, 2, 1_000); // same fragments again: still 2,000 bytes
    assertEquals(2_000, c.node.fragments().bytesStored());
    assertRefused(Status.Code.RESOURCE_EXHAUSTED, () -> c.put(HOSPITAL_0, "q2", 0, 2, 1_000));
    // The quota is per uploader.
    c.put(HOSPITAL_1, "q3", 0, 2, 1_000);
    c.put(HOSPITAL_0, "q2", 0, 1, 1_000);
    assertEquals(5, c.node.fragments().fragmentsStored());
  }

  @Test
  void countersAreRecountedFromTheStoreAfterARestart() throws Exception {
    start(cfg -> cfg.withFragments(3_000, 3_600_000, 3_600_000));
    c.put(HOSPITAL_0, "r", 0, 2, 1_000);
    c.restart(cfg -> cfg.withFragments(3_000, 3_600_000, 3_600_000));
    assertEquals(2_000, c.node.fragments().bytesStored());
    assertRefused(Status.Code.RESOURCE_EXHAUSTED, () -> c.put(HOSPITAL_0, "r2", 0, 2, 1_000));
  }
}
