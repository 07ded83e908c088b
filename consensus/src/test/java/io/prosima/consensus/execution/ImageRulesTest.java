package io.prosima.consensus.execution;

import static io.prosima.proto.v1.RefusalCode.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.genesis.KeyGenerator;
import io.prosima.proto.v1.AccessGrant;
import io.prosima.proto.v1.AccessRevoke;
import io.prosima.proto.v1.EncryptionInfo;
import io.prosima.proto.v1.ImageAnchor;
import io.prosima.proto.v1.ImageRekey;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.ModelAnchor;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.PlacementInfo;
import io.prosima.proto.v1.ReconstructionRecord;
import io.prosima.proto.v1.RefusalCode;
import io.prosima.proto.v1.Role;
import io.prosima.proto.v1.TilePlacement;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.Verdict;
import io.prosima.proto.v1.VerificationRecord;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The image rules added with fragment placement and key epochs: placement well-formedness, rekey by
 * the owner, grants per key epoch, and who may record reconstructions and verifications. Each
 * refusal test fails when its rule is removed; the accepting cases show the rules let the intended
 * flow through.
 */
class ImageRulesTest {
  private static final String IMAGE = "img-1";
  private static final int TILES = 4; // TestChain.anchor uses a 2x2 grid

  private TestChain chain;
  private long hospitalNonce;

  @BeforeEach
  void setUp() throws Exception {
    chain = new TestChain();
    hospitalNonce = 0;
  }

  // --- placement (PayloadRules.storage) ---

  @Test
  void anAnchorWithAValidPlacementOnValidatorsIsAccepted() {
    assertNull(chain.refusalOf(anchor(a -> a)));
  }

  // --- similarity code (issue 16) ---

  @Test
  void anAnchorWithA128BitSimilarityCodeIsAccepted() {
    assertNull(
        chain.refusalOf(anchor(a -> a.setSimilarityCode(ByteString.copyFrom(new byte[16])))));
  }

  @Test
  void aSimilarityCodeOfAnyOtherLengthIsRefused() {
    for (int bytes : new int[] {1, 8, 15, 17, 32}) {
      assertRefused(
          REFUSAL_PAYLOAD_INVALID,
          anchor(a -> a.setSimilarityCode(ByteString.copyFrom(new byte[bytes]))));
    }
  }

  @Test
  void aSimilarityCodeWithoutAnEncoderIsRefused() {
    assertRefused(
        REFUSAL_PAYLOAD_INVALID,
        anchor(a -> a.setEncoder("").setSimilarityCode(ByteString.copyFrom(new byte[16]))));
  }

  @Test
  void anEmptyPlacementWithoutEncryptionIsAccepted() {
    assertNull(
        chain.refusalOf(
            anchor(a -> a.clearPlacement().clearEncryption().setSampleBits(16).setEncoder(""))));
  }

  @Test
  void aPlacementWithoutRAndSMustBeEmpty() {
    PlacementInfo onlyNodes = validPlacement(2, 3).toBuilder().clearTiles().build();
    assertRefused(
        REFUSAL_PAYLOAD_INVALID,
        anchor(
            a ->
                a.setPlacement(
                    onlyNodes.toBuilder().setFragmentsNeeded(0).setFragmentsTotal(0).build())));
    assertRefused(
        REFUSAL_PAYLOAD_INVALID,
        anchor(a -> a.setPlacement(PlacementInfo.newBuilder().setUploaderRegion("eu"))));
  }

  @Test
  void rAboveSIsRefused() {
    assertRefused(
        REFUSAL_PAYLOAD_INVALID,
        anchor(a -> a.setPlacement(validPlacement(2, 3).toBuilder().setFragmentsNeeded(4))));
  }

  @Test
  void storedFragmentsMustBeEncryptedWithAes256Gcm() {
    assertRefused(REFUSAL_PAYLOAD_INVALID, anchor(a -> a.clearEncryption()));
    assertRefused(
        REFUSAL_PAYLOAD_INVALID,
        anchor(a -> a.setEncryption(EncryptionInfo.newBuilder().setAlgorithm("AES-128-CBC"))));
  }

  @Test
  void aPlacementNeedsAtLeastSDistinctThirtyTwoByteNodeKeys() {
    PlacementInfo p = validPlacement(2, 3);
    assertRefused(
        REFUSAL_PAYLOAD_INVALID,
        anchor(
            a ->
                a.setPlacement(
                    p.toBuilder().clearNodes().addAllNodes(p.getNodesList().subList(0, 2)))));
    assertRefused(
        REFUSAL_PAYLOAD_INVALID,
        anchor(a -> a.setPlacement(p.toBuilder().setNodes(2, p.getNodes(0)))));
    assertRefused(
        REFUSAL_PAYLOAD_INVALID,
        anchor(a -> a.setPlacement(p.toBuilder().setNodes(2, ByteString.copyFrom(new byte[31])))));
  }

  @Test
  void everyTileMustPlaceSFragmentsOnDistinctNodesOfTheTable() {
    PlacementInfo p = validPlacement(2, 3);
    TilePlacement t = p.getTiles(1);
    TilePlacement tooFew =
        t.toBuilder().clearNodeIndices().addAllNodeIndices(List.of(0, 1)).build();
    TilePlacement repeated = t.toBuilder().setNodeIndices(2, t.getNodeIndices(0)).build();
    TilePlacement outside = t.toBuilder().setNodeIndices(2, p.getNodesCount()).build();
    TilePlacement negative = t.toBuilder().setNodeIndices(2, -1).build(); // 2^32 - 1 unsigned
    TilePlacement missingHash =
        t.toBuilder()
            .clearFragmentSha256()
            .addAllFragmentSha256(t.getFragmentSha256List().subList(0, 2))
            .build();
    TilePlacement shortHash =
        t.toBuilder().setFragmentSha256(0, ByteString.copyFrom(new byte[20])).build();
    for (TilePlacement bad : List.of(tooFew, repeated, outside, negative, missingHash, shortHash)) {
      assertRefused(
          REFUSAL_PAYLOAD_INVALID, anchor(a -> a.setPlacement(p.toBuilder().setTiles(1, bad))));
    }
  }

  @Test
  void aPlacementMustListEveryTileOfTheGrid() {
    PlacementInfo p = validPlacement(2, 3);
    assertRefused(
        REFUSAL_PAYLOAD_INVALID, anchor(a -> a.setPlacement(p.toBuilder().removeTiles(3))));
    assertRefused(
        REFUSAL_PAYLOAD_INVALID,
        anchor(a -> a.setPlacement(p.toBuilder().addTiles(p.getTiles(0)))));
    assertRefused(REFUSAL_PAYLOAD_INVALID, anchor(a -> a.setPlacement(p.toBuilder().clearTiles())));
  }

  @Test
  void sampleBitsMustBeZeroEightOrSixteen() {
    assertNull(chain.refusalOf(anchor(a -> a.setSampleBits(8))));
    assertRefused(REFUSAL_PAYLOAD_INVALID, anchor(a -> a.setSampleBits(12)));
  }

  @Test
  void theEncoderMustMatchItsPattern() {
    assertNull(chain.refusalOf(anchor(a -> a.setEncoder("encoder@1.0"))));
    assertRefused(REFUSAL_PAYLOAD_INVALID, anchor(a -> a.setEncoder("bad encoder")));
    assertRefused(REFUSAL_PAYLOAD_INVALID, anchor(a -> a.setEncoder("x".repeat(97))));
  }

  @Test
  void anchorPlacementNodesMustBeGenesisValidators() {
    KeyFile stranger = KeyGenerator.newKey("n", Role.ROLE_HOSPITAL, false, new SecureRandom());
    PlacementInfo p =
        validPlacement(2, 3).toBuilder().setNodes(1, stranger.getEd25519PublicKey()).build();
    assertRefused(REFUSAL_NOT_FOUND, anchor(a -> a.setPlacement(p)));
    // A client identity is not a fragment store either.
    PlacementInfo client =
        validPlacement(2, 3).toBuilder()
            .setNodes(0, chain.otherHospital.getEd25519PublicKey())
            .build();
    assertRefused(REFUSAL_NOT_FOUND, anchor(a -> a.setPlacement(client)));
  }

  // --- rekey ---

  @Test
  void theOwnerRekeysAndThenGrantsAgainAtTheNewEpoch() {
    commitAnchor();
    commit(chain.hospital, grant(chain.otherHospital, 0));
    commit(chain.hospital, rekey(1, validPlacement(3, 4)));
    var image = chain.executor.view(chain.state::get).image(IMAGE).orElseThrow();
    assertEquals(1, image.getKeyEpoch());
    assertRefused(REFUSAL_CONFLICT, sign(chain.hospital, grant(chain.otherHospital, 0)));
    commit(chain.hospital, grant(chain.otherHospital, 1));
    var record =
        chain
            .executor
            .view(chain.state::get)
            .grant(IMAGE, chain.otherHospital.getEd25519PublicKey())
            .orElseThrow();
    assertEquals(1, record.getKeyEpoch());
  }

  @Test
  void onlyTheOwnerMayRekey() {
    commitAnchor();
    commit(chain.hospital, grant(chain.otherHospital, 0));
    assertRefused(
        REFUSAL_NOT_OWNER, chain.sign(chain.otherHospital, 1, rekey(1, validPlacement(2, 3))));
    assertRefused(
        REFUSAL_ROLE_FORBIDDEN, chain.sign(chain.auditor, 1, rekey(1, validPlacement(2, 3))));
  }

  @Test
  void aRekeyOfAnImageNotAnchoredIsNotFound() {
    assertRefused(REFUSAL_NOT_FOUND, sign(chain.hospital, rekey(1, validPlacement(2, 3))));
  }

  @Test
  void theRekeyEpochMustBeTheCurrentEpochPlusOne() {
    commitAnchor();
    assertRefused(REFUSAL_CONFLICT, sign(chain.hospital, rekey(2, validPlacement(2, 3))));
    assertRefused(REFUSAL_PAYLOAD_INVALID, sign(chain.hospital, rekey(0, validPlacement(2, 3))));
    commit(chain.hospital, rekey(1, validPlacement(2, 3)));
    assertRefused(REFUSAL_CONFLICT, sign(chain.hospital, rekey(1, validPlacement(2, 3))));
    assertNull(chain.refusalOf(sign(chain.hospital, rekey(2, validPlacement(2, 3)))));
  }

  @Test
  void aRekeyMustPlaceEveryTileOfTheImageEncrypted() {
    commitAnchor();
    assertRefused(
        REFUSAL_PAYLOAD_INVALID,
        sign(chain.hospital, rekey(1, PlacementInfo.getDefaultInstance())));
    assertRefused(
        REFUSAL_PAYLOAD_INVALID,
        sign(chain.hospital, rekey(1, validPlacement(2, 3).toBuilder().removeTiles(0).build())));
    Payload unencrypted =
        Payload.newBuilder()
            .setImageRekey(
                rekey(1, validPlacement(2, 3)).getImageRekey().toBuilder().clearEncryption())
            .build();
    assertRefused(REFUSAL_PAYLOAD_INVALID, sign(chain.hospital, unencrypted));
  }

  @Test
  void rekeyPlacementNodesMustBeGenesisValidators() {
    commitAnchor();
    PlacementInfo p =
        validPlacement(2, 3).toBuilder().setNodes(2, chain.auditor.getEd25519PublicKey()).build();
    assertRefused(REFUSAL_NOT_FOUND, sign(chain.hospital, rekey(1, p)));
  }

  // --- grants per key epoch ---

  @Test
  void aGrantMustWrapTheKeyOfTheCurrentEpoch() {
    commitAnchor();
    assertRefused(REFUSAL_CONFLICT, sign(chain.hospital, grant(chain.otherHospital, 1)));
    assertNull(chain.refusalOf(sign(chain.hospital, grant(chain.otherHospital, 0))));
  }

  // --- records ---

  @Test
  void theOwnerAndALiveGranteeMayRecordAReconstructionButNobodyElse() {
    commitAnchor();
    commitModel();
    assertNull(chain.refusalOf(sign(chain.hospital, reconstruction("unet", "1"))));
    assertRefused(
        REFUSAL_NOT_OWNER, chain.sign(chain.otherHospital, 1, reconstruction("unet", "1")));
    commit(chain.hospital, grant(chain.otherHospital, 0));
    assertNull(chain.refusalOf(chain.sign(chain.otherHospital, 1, reconstruction("unet", "1"))));
  }

  @Test
  void aReconstructionMustNameAnAnchoredModel() {
    commitAnchor();
    commitModel();
    assertRefused(REFUSAL_NOT_FOUND, sign(chain.hospital, reconstruction("unet", "2")));
  }

  @Test
  void aRevokedGranteeCanNoLongerRecord() {
    commitAnchor();
    commitModel();
    commit(chain.hospital, grant(chain.otherHospital, 0));
    assertNull(chain.refusalOf(chain.sign(chain.otherHospital, 1, reconstruction("unet", "1"))));
    assertNull(chain.refusalOf(chain.sign(chain.otherHospital, 1, verification())));
    commit(chain.hospital, revoke(chain.otherHospital));
    assertRefused(
        REFUSAL_NOT_OWNER, chain.sign(chain.otherHospital, 1, reconstruction("unet", "1")));
    assertRefused(REFUSAL_NOT_OWNER, chain.sign(chain.otherHospital, 1, verification()));
  }

  @Test
  void aGrantOfAnEarlierKeyEpochIsNotLiveAfterARekey() {
    commitAnchor();
    commitModel();
    commit(chain.hospital, grant(chain.otherHospital, 0));
    commit(chain.hospital, rekey(1, validPlacement(2, 3)));
    // The epoch-0 grant wraps a retired key: until the owner grants again it gives no rights.
    assertRefused(
        REFUSAL_NOT_OWNER, chain.sign(chain.otherHospital, 1, reconstruction("unet", "1")));
    assertRefused(REFUSAL_NOT_OWNER, chain.sign(chain.otherHospital, 1, verification()));
    Payload log =
        Payload.newBuilder()
            .setAccessLog(
                io.prosima.proto.v1.AccessLog.newBuilder().setImageId(IMAGE).setAction("read"))
            .build();
    assertRefused(REFUSAL_NOT_OWNER, chain.sign(chain.otherHospital, 1, log));
    commit(chain.hospital, grant(chain.otherHospital, 1));
    assertNull(chain.refusalOf(chain.sign(chain.otherHospital, 1, reconstruction("unet", "1"))));
    assertNull(chain.refusalOf(chain.sign(chain.otherHospital, 1, log)));
  }

  @Test
  void theOwnerAGranteeOrAnyAuditorMayRecordAVerification() {
    commitAnchor();
    assertNull(chain.refusalOf(sign(chain.hospital, verification())));
    assertNull(chain.refusalOf(chain.sign(chain.auditor, 1, verification())));
    assertRefused(REFUSAL_NOT_OWNER, chain.sign(chain.otherHospital, 1, verification()));
    commit(chain.hospital, grant(chain.otherHospital, 0));
    assertNull(chain.refusalOf(chain.sign(chain.otherHospital, 1, verification())));
    // A committed auditor verification is applied.
    var e = chain.commit(chain.sign(chain.auditor, 1, verification()));
    assertEquals(1, e.applied().size());
  }

  @Test
  void recordsMustNameTilesInsideTheGrid() {
    commitAnchor();
    Payload outside =
        Payload.newBuilder()
            .setVerificationRecord(
                verification().getVerificationRecord().toBuilder()
                    .setVerdict(Verdict.VERDICT_TAMPERED)
                    .addTamperedTiles(TILES))
            .build();
    assertRefused(REFUSAL_PAYLOAD_INVALID, chain.sign(chain.auditor, 1, outside));
  }

  // --- fixture ---

  private void assertRefused(RefusalCode code, Transaction tx) {
    Refusal r = chain.refusalOf(tx);
    assertTrue(r != null, "expected " + code + " but the transaction was accepted");
    assertEquals(code, r.code(), r.message());
  }

  /** r-of-s on the first s genesis validators (plus one spare node), every tile on nodes 0..s-1. */
  private PlacementInfo validPlacement(int r, int s) {
    PlacementInfo.Builder p =
        PlacementInfo.newBuilder()
            .setFragmentsNeeded(r)
            .setFragmentsTotal(s)
            .setUploaderRegion("r0");
    for (int i = 0; i < Math.min(s + 1, chain.validators.size()); i++) {
      p.addNodes(chain.validators.get(i).getEd25519PublicKey());
    }
    for (int t = 0; t < TILES; t++) {
      TilePlacement.Builder tile = TilePlacement.newBuilder();
      for (int f = 0; f < s; f++) {
        tile.addNodeIndices((t + f) % s);
        byte[] hash = new byte[32];
        hash[0] = (byte) t;
        hash[1] = (byte) f;
        tile.addFragmentSha256(ByteString.copyFrom(hash));
      }
      p.addTiles(tile);
    }
    return p.build();
  }

  private Transaction anchor(UnaryOperator<ImageAnchor.Builder> change) {
    ImageAnchor.Builder a =
        TestChain.anchor(IMAGE).toBuilder()
            .setEncryption(EncryptionInfo.newBuilder().setAlgorithm(PayloadRules.AES_256_GCM))
            .setPlacement(validPlacement(2, 3))
            .setSampleBits(8)
            .setEncoder("shipped-sha256:0123456789abcdef");
    return sign(chain.hospital, TestChain.payload(change.apply(a).build()));
  }

  private void commitAnchor() {
    var e = chain.commit(anchor(a -> a));
    assertEquals(1, e.applied().size(), () -> e.rejected().toString());
  }

  private void commitModel() {
    commit(
        chain.hospital,
        Payload.newBuilder()
            .setModelAnchor(
                ModelAnchor.newBuilder()
                    .setModelId("unet")
                    .setVersion("1")
                    .setWeightsSha256(ByteString.copyFrom(new byte[32])))
            .build());
  }

  /** Signs with the next nonce of the (only) owner hospital. */
  private Transaction sign(KeyFile owner, Payload payload) {
    return chain.sign(owner, ++hospitalNonce, payload);
  }

  private void commit(KeyFile owner, Payload payload) {
    var e = chain.commit(sign(owner, payload));
    assertEquals(1, e.applied().size(), () -> e.rejected().toString());
  }

  private Payload rekey(int epoch, PlacementInfo placement) {
    return Payload.newBuilder()
        .setImageRekey(
            ImageRekey.newBuilder()
                .setImageId(IMAGE)
                .setKeyEpoch(epoch)
                .setEncryption(EncryptionInfo.newBuilder().setAlgorithm(PayloadRules.AES_256_GCM))
                .setPlacement(placement))
        .build();
  }

  private static Payload grant(KeyFile grantee, int epoch) {
    return Payload.newBuilder()
        .setAccessGrant(
            AccessGrant.newBuilder()
                .setImageId(IMAGE)
                .setGrantee(grantee.getEd25519PublicKey())
                .setWrappedKey(ByteString.copyFrom(new byte[] {1, 2, 3}))
                .setKeyEpoch(epoch))
        .build();
  }

  private static Payload revoke(KeyFile grantee) {
    return Payload.newBuilder()
        .setAccessRevoke(
            AccessRevoke.newBuilder().setImageId(IMAGE).setGrantee(grantee.getEd25519PublicKey()))
        .build();
  }

  private static Payload reconstruction(String model, String version) {
    return Payload.newBuilder()
        .setReconstructionRecord(
            ReconstructionRecord.newBuilder()
                .setImageId(IMAGE)
                .setModelId(model)
                .setModelVersion(version)
                .setOutputMerkleRoot(ByteString.copyFrom(new byte[32]))
                .addReconstructedTiles(1))
        .build();
  }

  private static Payload verification() {
    return Payload.newBuilder()
        .setVerificationRecord(
            VerificationRecord.newBuilder()
                .setImageId(IMAGE)
                .setVerdict(Verdict.VERDICT_SEMANTICALLY_CONSISTENT)
                .setCheckedMerkleRoot(ByteString.copyFrom(new byte[32])))
        .build();
  }
}
