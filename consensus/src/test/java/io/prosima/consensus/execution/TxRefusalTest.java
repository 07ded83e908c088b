package io.prosima.consensus.execution;

import static io.prosima.proto.v1.RefusalCode.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.prosima.consensus.mempool.Mempool;
import io.prosima.genesis.KeyGenerator;
import io.prosima.proto.v1.AccessGrant;
import io.prosima.proto.v1.AccessLog;
import io.prosima.proto.v1.AccessRevoke;
import io.prosima.proto.v1.Identity;
import io.prosima.proto.v1.IdentityRegistration;
import io.prosima.proto.v1.ImageAnchor;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.ModelAnchor;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.RefusalCode;
import io.prosima.proto.v1.Role;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.ValidatorApproval;
import io.prosima.proto.v1.Verdict;
import io.prosima.proto.v1.VerificationRecord;
import io.prosima.proto.wire.Ed25519Keys;
import io.prosima.proto.wire.TxCodec;
import java.security.SecureRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each refusal reason of execution, one scenario each, plus what valid transactions change. */
class TxRefusalTest {
  private TestChain chain;

  @BeforeEach
  void setUp() throws Exception {
    chain = new TestChain();
  }

  private void assertRefused(RefusalCode code, Transaction tx) {
    Refusal r = chain.refusalOf(tx);
    assertTrue(r != null, "expected " + code + " but the transaction was accepted");
    assertEquals(code, r.code(), r.message());
    assertTrue(!r.message().isBlank());
  }

  private Transaction anchorTx(KeyFile key, long nonce, String imageId) {
    return chain.sign(key, nonce, TestChain.payload(TestChain.anchor(imageId)));
  }

  @Test
  void aValidImageAnchorIsAppliedAndRecordsTheOwner() {
    var e = chain.commit(anchorTx(chain.hospital, 1, "img-1"));
    assertEquals(1, e.applied().size());
    assertTrue(e.rejected().isEmpty());
    var image = chain.executor.view(chain.state::get).image("img-1").orElseThrow();
    assertEquals(chain.hospital.getEd25519PublicKey(), image.getOwner());
  }

  @Test
  void malformedEnvelopesAreRefused() {
    Transaction good = anchorTx(chain.hospital, 1, "img-1");
    assertRefused(
        REFUSAL_MALFORMED, good.toBuilder().setSigner(ByteString.copyFrom(new byte[31])).build());
    assertRefused(
        REFUSAL_MALFORMED,
        good.toBuilder().setSignature(ByteString.copyFrom(new byte[10])).build());
    assertRefused(
        REFUSAL_MALFORMED, TestChain.sign(good.toBuilder().setNonce(0).build(), chain.hospital));
    assertRefused(
        REFUSAL_MALFORMED, TestChain.sign(good.toBuilder().clearPayload().build(), chain.hospital));
    Transaction withUnknown =
        good.toBuilder()
            .setUnknownFields(
                UnknownFieldSet.newBuilder()
                    .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(7).build())
                    .build())
            .build();
    assertRefused(REFUSAL_MALFORMED, withUnknown);
  }

  @Test
  void aTransactionForAnotherChainIsRefused() {
    Transaction tx = chain.unsigned(chain.hospital, 1, TestChain.payload(TestChain.anchor("a")));
    assertRefused(
        REFUSAL_WRONG_CHAIN,
        TestChain.sign(tx.toBuilder().setChainId("other").build(), chain.hospital));
  }

  @Test
  void aBadSignatureIsRefused() {
    Transaction tx = anchorTx(chain.hospital, 1, "img-1");
    assertRefused(REFUSAL_BAD_SIGNATURE, tx.toBuilder().setNonce(2).build());
    assertRefused(
        REFUSAL_BAD_SIGNATURE,
        TestChain.sign(chain.unsigned(chain.hospital, 1, tx.getPayload()), chain.otherHospital));
  }

  @Test
  void anUnknownSignerIsRefused() {
    KeyFile stranger = KeyGenerator.newKey("x", Role.ROLE_HOSPITAL, false, new SecureRandom());
    assertRefused(REFUSAL_UNKNOWN_SIGNER, anchorTx(stranger, 1, "img-1"));
  }

  @Test
  void aRoleThatMayNotSubmitThePayloadIsRefused() {
    assertRefused(REFUSAL_ROLE_FORBIDDEN, anchorTx(chain.auditor, 1, "img-1"));
    assertRefused(REFUSAL_ROLE_FORBIDDEN, anchorTx(chain.admin, 1, "img-1"));
  }

  @Test
  void aNonceThatDoesNotIncreaseIsRefused() {
    chain.commit(anchorTx(chain.hospital, 5, "img-1"));
    assertRefused(REFUSAL_NONCE_NOT_INCREASING, anchorTx(chain.hospital, 5, "img-2"));
    assertRefused(REFUSAL_NONCE_NOT_INCREASING, anchorTx(chain.hospital, 4, "img-2"));
    assertNull(chain.refusalOf(anchorTx(chain.hospital, 9, "img-2")), "gaps are allowed");
  }

  @Test
  void aReplayedTransactionIsRefusedEvenInTheSameBlock() {
    Transaction tx = anchorTx(chain.hospital, 1, "img-1");
    var e = chain.commit(tx, tx);
    assertEquals(1, e.applied().size());
    assertEquals(REFUSAL_NONCE_NOT_INCREASING, e.rejected().get(0).refusal().code());
    assertRefused(REFUSAL_NONCE_NOT_INCREASING, tx);
  }

  @Test
  void anExpiredOrTooDistantExpiryIsRefused() {
    Transaction base = chain.unsigned(chain.hospital, 1, TestChain.payload(TestChain.anchor("a")));
    assertRefused(
        REFUSAL_EXPIRED,
        TestChain.sign(base.toBuilder().setExpiryHeight(0).build(), chain.hospital));
    long tooFar = chain.height + chain.genesis.getConsensus().getTxExpiryHeightsMax() + 1;
    assertRefused(
        REFUSAL_EXPIRY_TOO_FAR,
        TestChain.sign(base.toBuilder().setExpiryHeight(tooFar).build(), chain.hospital));
  }

  @Test
  void aMalformedPayloadIsRefused() {
    ImageAnchor a = TestChain.anchor("img-1");
    assertRefused(
        REFUSAL_PAYLOAD_INVALID,
        chain.sign(
            chain.hospital, 1, TestChain.payload(a.toBuilder().setImageId("bad id!").build())));
    assertRefused(
        REFUSAL_PAYLOAD_INVALID,
        chain.sign(chain.hospital, 1, TestChain.payload(a.toBuilder().removeLeaves(3).build())));
    assertRefused(
        REFUSAL_PAYLOAD_INVALID,
        chain.sign(
            chain.hospital,
            1,
            Payload.newBuilder()
                .setVerificationRecord(
                    VerificationRecord.newBuilder()
                        .setImageId("img-1")
                        .setVerdict(Verdict.VERDICT_AUTHENTIC)
                        .addTamperedTiles(1)
                        .setCheckedMerkleRoot(a.getMerkleRoot()))
                .build()));
  }

  @Test
  void anImageAnchorWhoseRootDoesNotMatchItsLeavesIsRefused() {
    ImageAnchor a = TestChain.anchor("img-1");
    ImageAnchor other = TestChain.anchor("img-2");
    assertRefused(
        REFUSAL_MERKLE_ROOT_MISMATCH,
        chain.sign(
            chain.hospital,
            1,
            TestChain.payload(a.toBuilder().setMerkleRoot(other.getMerkleRoot()).build())));
    var tamperedLeaf =
        a.getLeaves(2).toBuilder().setLatent(ByteString.copyFrom(new byte[] {9})).build();
    assertRefused(
        REFUSAL_MERKLE_ROOT_MISMATCH,
        chain.sign(
            chain.hospital,
            1,
            TestChain.payload(a.toBuilder().setLeaves(2, tamperedLeaf).build())));
  }

  @Test
  void anchoringAnImageOrModelTwiceIsAConflict() {
    chain.commit(anchorTx(chain.hospital, 1, "img-1"));
    assertRefused(REFUSAL_CONFLICT, anchorTx(chain.otherHospital, 1, "img-1"));
    Payload model = modelPayload("unet", "1");
    chain.commit(chain.sign(chain.hospital, 2, model));
    assertRefused(REFUSAL_CONFLICT, chain.sign(chain.otherHospital, 1, model));
  }

  /**
   * Two participants anchoring the same federated global (a stand-in and a late aggregator) in one
   * block: the first in block order is applied, the second refused, so every node keeps the same
   * one and the round's global is simply the first committed.
   */
  @Test
  void twoAnchorsOfOneModelVersionInOneBlockKeepTheFirst() {
    Transaction first = chain.sign(chain.otherHospital, 1, modelPayload("fed", "g1"));
    Transaction second =
        chain.sign(
            chain.hospital,
            1,
            Payload.newBuilder()
                .setModelAnchor(
                    modelPayload("fed", "g1").getModelAnchor().toBuilder()
                        .setWeightsSha256(ByteString.copyFrom(new byte[32])))
                .build());
    var e = chain.commit(first, second);
    assertEquals(java.util.List.of(first), e.applied());
    assertEquals(1, e.rejected().size());
    assertEquals(REFUSAL_CONFLICT, e.rejected().get(0).refusal().code());
    var model = chain.executor.view(chain.state::get).model("fed", "g1").orElseThrow();
    assertEquals(chain.otherHospital.getEd25519PublicKey(), model.getOwner());
  }

  @Test
  void referencesToMissingThingsAreNotFound() {
    assertRefused(
        REFUSAL_NOT_FOUND, chain.sign(chain.hospital, 1, grantPayload("nope", chain.auditor)));
    assertRefused(
        REFUSAL_NOT_FOUND,
        chain.sign(
            chain.hospital,
            1,
            Payload.newBuilder()
                .setModelAnchor(
                    ModelAnchor.newBuilder()
                        .setModelId("unet")
                        .setVersion("2")
                        .setWeightsSha256(ByteString.copyFrom(new byte[32]))
                        .addParents("unet@1"))
                .build()));
    chain.commit(anchorTx(chain.hospital, 1, "img-1"));
    assertRefused(
        REFUSAL_NOT_FOUND,
        chain.sign(
            chain.hospital,
            2,
            Payload.newBuilder()
                .setAccessRevoke(
                    AccessRevoke.newBuilder()
                        .setImageId("img-1")
                        .setGrantee(chain.auditor.getEd25519PublicKey()))
                .build()));
  }

  @Test
  void onlyTheOwnerMayGrantAndOthersWithoutAccessMayNotLog() {
    chain.commit(anchorTx(chain.hospital, 1, "img-1"));
    assertRefused(
        REFUSAL_NOT_OWNER,
        chain.sign(chain.otherHospital, 1, grantPayload("img-1", chain.auditor)));
    Payload log =
        Payload.newBuilder()
            .setAccessLog(AccessLog.newBuilder().setImageId("img-1").setAction("read"))
            .build();
    assertRefused(REFUSAL_NOT_OWNER, chain.sign(chain.otherHospital, 1, log));
    // After a grant, the grantee hospital may log access; a revoke takes it away again.
    chain.commit(chain.sign(chain.hospital, 2, grantPayload("img-1", chain.otherHospital)));
    assertNull(chain.refusalOf(chain.sign(chain.otherHospital, 1, log)));
    chain.commit(
        chain.sign(
            chain.hospital,
            3,
            Payload.newBuilder()
                .setAccessRevoke(
                    AccessRevoke.newBuilder()
                        .setImageId("img-1")
                        .setGrantee(chain.otherHospital.getEd25519PublicKey()))
                .build()));
    assertRefused(REFUSAL_NOT_OWNER, chain.sign(chain.otherHospital, 1, log));
  }

  @Test
  void aTooLargeTransactionIsRefused() {
    ModelAnchor big =
        ModelAnchor.newBuilder()
            .setModelId("m")
            .setVersion("1")
            .setWeightsSha256(ByteString.copyFrom(new byte[32]))
            .setTrainingMetadata("x".repeat((int) chain.genesis.getConsensus().getTxBytesMax()))
            .build();
    assertRefused(
        REFUSAL_TOO_LARGE,
        chain.sign(chain.hospital, 1, Payload.newBuilder().setModelAnchor(big).build()));
  }

  @Test
  void identityRegistrationNeedsMoreThanTwoThirdsOfValidatorWeight() {
    KeyFile newcomer = KeyGenerator.newKey("lab-7", Role.ROLE_HOSPITAL, false, new SecureRandom());
    Identity identity =
        Identity.newBuilder()
            .setName("lab-7")
            .setRole(Role.ROLE_HOSPITAL)
            .setPublicKey(newcomer.getEd25519PublicKey())
            .setEncryptionKey(newcomer.getX25519PublicKey())
            .build();
    byte[] message = TxRules.approvalBytes(chain.genesis.getChainId(), identity);
    IdentityRegistration.Builder reg = IdentityRegistration.newBuilder().setIdentity(identity);
    for (int i = 0; i < 2; i++) {
      reg.addApprovals(approval(chain.validators.get(i), message));
    }
    Payload twoOfFour = Payload.newBuilder().setIdentityRegistration(reg).build();
    assertRefused(REFUSAL_INSUFFICIENT_APPROVALS, chain.sign(chain.admin, 1, twoOfFour));

    reg.addApprovals(approval(chain.validators.get(2), message));
    Payload threeOfFour = Payload.newBuilder().setIdentityRegistration(reg).build();
    assertRefused(REFUSAL_ROLE_FORBIDDEN, chain.sign(chain.hospital, 1, threeOfFour));
    chain.commit(chain.sign(chain.admin, 1, threeOfFour));
    // The new identity may now sign.
    assertNull(chain.refusalOf(anchorTx(newcomer, 1, "img-new")));
  }

  @Test
  void theMempoolRefusesDuplicatesAndStopsAtItsLimits() {
    Mempool pool = new Mempool(2, 1 << 20);
    Transaction a = anchorTx(chain.hospital, 1, "a");
    Transaction b = anchorTx(chain.hospital, 2, "b");
    Transaction c = anchorTx(chain.otherHospital, 1, "c");
    assertNull(pool.add(a, TxCodec.hash(a), 0));
    assertEquals(REFUSAL_DUPLICATE, pool.add(a, TxCodec.hash(a), 0).code());
    assertEquals(
        REFUSAL_NONCE_NOT_INCREASING,
        pool.add(a.toBuilder().setNonce(1).setExpiryHeight(99).build(), new byte[32], 0).code());
    assertNull(pool.add(b, TxCodec.hash(b), 0));
    assertEquals(REFUSAL_MEMPOOL_FULL, pool.add(c, TxCodec.hash(c), 0).code());
    pool.remove(java.util.List.of(TxCodec.hash(a)));
    assertNull(pool.add(c, TxCodec.hash(c), 0));
    assertEquals(2, pool.size());
  }

  @Test
  void executionIsDeterministic() throws Exception {
    Transaction[] txs = {
      anchorTx(chain.hospital, 1, "img-1"),
      chain.sign(chain.hospital, 2, grantPayload("img-1", chain.auditor)),
      anchorTx(chain.otherHospital, 3, "img-2"),
    };
    var first =
        chain.executor.execute(
            java.util.List.of(txs),
            hashes(txs),
            k -> null,
            1,
            chain.stateHash,
            SignatureCheck.NONE_PREVERIFIED);
    var second =
        chain.executor.execute(
            java.util.List.of(txs),
            hashes(txs),
            k -> null,
            1,
            chain.stateHash,
            SignatureCheck.NONE_PREVERIFIED);
    assertArrayEquals(first.stateHashAfter(), second.stateHashAfter());
    var reordered =
        chain.executor.execute(
            java.util.List.of(txs[2], txs[0], txs[1]),
            hashes(txs[2], txs[0], txs[1]),
            k -> null,
            1,
            chain.stateHash,
            SignatureCheck.NONE_PREVERIFIED);
    assertEquals(3, reordered.applied().size());
    // Same writes in any order give the same hash: writes are sorted by key.
    assertArrayEquals(first.stateHashAfter(), reordered.stateHashAfter());
    var atOtherHeight =
        chain.executor.execute(
            java.util.List.of(txs),
            hashes(txs),
            k -> null,
            2,
            chain.stateHash,
            SignatureCheck.NONE_PREVERIFIED);
    assertTrue(!java.util.Arrays.equals(first.stateHashAfter(), atOtherHeight.stateHashAfter()));
  }

  private static java.util.List<byte[]> hashes(Transaction... txs) {
    java.util.List<byte[]> out = new java.util.ArrayList<>();
    for (Transaction tx : txs) {
      out.add(TxCodec.hash(tx));
    }
    return out;
  }

  private static ValidatorApproval approval(KeyFile validator, byte[] message) {
    byte[] sig =
        Ed25519Keys.sign(
            validator.getEd25519PrivateKey().toByteArray(),
            validator.getEd25519PublicKey().toByteArray(),
            message);
    return ValidatorApproval.newBuilder()
        .setValidator(validator.getEd25519PublicKey())
        .setSignature(ByteString.copyFrom(sig))
        .build();
  }

  private static Payload grantPayload(String imageId, KeyFile grantee) {
    return Payload.newBuilder()
        .setAccessGrant(
            AccessGrant.newBuilder()
                .setImageId(imageId)
                .setGrantee(grantee.getEd25519PublicKey())
                .setWrappedKey(ByteString.copyFrom(new byte[] {1, 2, 3})))
        .build();
  }

  private static Payload modelPayload(String id, String version) {
    return Payload.newBuilder()
        .setModelAnchor(
            ModelAnchor.newBuilder()
                .setModelId(id)
                .setVersion(version)
                .setWeightsSha256(ByteString.copyFrom(new byte[32])))
        .build();
  }
}
