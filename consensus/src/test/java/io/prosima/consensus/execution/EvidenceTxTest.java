package io.prosima.consensus.execution;

import static io.prosima.proto.v1.RefusalCode.REFUSAL_DUPLICATE;
import static io.prosima.proto.v1.RefusalCode.REFUSAL_MALFORMED;
import static io.prosima.proto.v1.RefusalCode.REFUSAL_PAYLOAD_INVALID;
import static io.prosima.proto.v1.RefusalCode.REFUSAL_ROLE_FORBIDDEN;
import static io.prosima.proto.v1.RefusalCode.REFUSAL_UNKNOWN_SIGNER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.genesis.KeyGenerator;
import io.prosima.genesis.ValidatorSet;
import io.prosima.proto.v1.Evidence;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.RefusalCode;
import io.prosima.proto.v1.Role;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.Vote;
import io.prosima.proto.v1.VoteType;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.Ed25519Keys;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Equivocation evidence transactions (payload kind 9): what is recorded and every refusal. */
class EvidenceTxTest {
  private TestChain chain;
  private KeyFile reporter;
  private KeyFile culprit;

  @BeforeEach
  void setUp() throws Exception {
    chain = new TestChain();
    reporter = chain.validators.get(0);
    culprit = chain.validators.get(1);
  }

  private static ByteString blockId(int b) {
    byte[] id = new byte[32];
    Arrays.fill(id, (byte) b);
    return ByteString.copyFrom(id);
  }

  private Vote.Builder unsignedVote(KeyFile signer, ByteString blockId) {
    return Vote.newBuilder()
        .setChainId(chain.genesis.getChainId())
        .setType(VoteType.VOTE_TYPE_PREVOTE)
        .setHeight(7)
        .setRound(2)
        .setBlockId(blockId)
        .setValidator(signer.getEd25519PublicKey());
  }

  /** Signs {@code vote} with {@code key} (whatever validator field it names). */
  private static Vote sign(Vote.Builder vote, KeyFile key) {
    byte[] sig =
        Ed25519Keys.sign(
            key.getEd25519PrivateKey().toByteArray(),
            key.getEd25519PublicKey().toByteArray(),
            BlockCodec.voteSigningBytes(vote.build()));
    return vote.setSignature(ByteString.copyFrom(sig)).build();
  }

  private Vote vote(KeyFile signer, ByteString blockId) {
    return sign(unsignedVote(signer, blockId), signer);
  }

  private static Evidence evidence(Vote a, Vote b) {
    return Evidence.newBuilder().setVoteA(a).setVoteB(b).build();
  }

  private Evidence goodEvidence() {
    return evidence(vote(culprit, blockId(1)), vote(culprit, blockId(2)));
  }

  private Transaction tx(KeyFile signer, long nonce, Evidence e) {
    return chain.sign(signer, nonce, EvidenceTxs.payload(e));
  }

  private void assertRefused(RefusalCode code, String messagePart, Transaction tx) {
    Refusal r = chain.refusalOf(tx);
    assertNotNull(r, "expected " + code + " but the transaction was accepted");
    assertEquals(code, r.code(), r.message());
    assertTrue(
        r.message().contains(messagePart),
        "message '" + r.message() + "' should mention '" + messagePart + "'");
    // A refused transaction changes nothing: executing a block of it writes no state.
    var e =
        chain.executor.execute(
            java.util.List.of(tx),
            java.util.List.of(io.prosima.proto.wire.TxCodec.hash(tx)),
            chain.state::get,
            chain.height,
            chain.stateHash,
            SignatureCheck.NONE_PREVERIFIED);
    assertTrue(e.applied().isEmpty());
    assertEquals(0, e.writes().size());
  }

  private void assertInvalid(String messagePart, Evidence e) {
    assertRefused(REFUSAL_PAYLOAD_INVALID, messagePart, tx(reporter, 1, e));
    String reason =
        EvidenceTxs.check(chain.genesis.getChainId(), new ValidatorSet(chain.genesis), e);
    assertNotNull(reason);
    assertTrue(reason.contains(messagePart), reason);
  }

  @Test
  void payloadIsKindNine() {
    Payload p = EvidenceTxs.payload(goodEvidence());
    assertEquals(Payload.KindCase.EQUIVOCATION_EVIDENCE, p.getKindCase());
    assertEquals(9, p.getKindCase().getNumber());
    assertEquals(goodEvidence(), p.getEquivocationEvidence().getEvidence());
  }

  @Test
  void validEvidenceIsAppliedAndRecordedOnce() {
    Evidence e = goodEvidence();
    assertNull(EvidenceTxs.check(chain.genesis.getChainId(), new ValidatorSet(chain.genesis), e));
    assertNull(
        EvidenceTxs.check(
            chain.genesis.getChainId(), new ValidatorSet(chain.genesis).weights(), swap(e)));
    long at = chain.height;
    Transaction tx = tx(reporter, 1, e);
    var result = chain.commit(tx);
    assertEquals(1, result.applied().size(), () -> result.rejected().toString());
    assertTrue(result.rejected().isEmpty());
    // Nonce and the evidence record.
    assertEquals(2, result.writes().size());
    LedgerView view = chain.executor.view(chain.state::get);
    assertTrue(view.evidenceRecorded(e.getVoteA()));
    assertTrue(view.evidenceRecorded(e.getVoteB()));
    assertEquals(at, view.evidenceHeight(e.getVoteA()).orElseThrow());
    assertEquals(1, view.lastNonce(reporter.getEd25519PublicKey()));
    byte[] stored =
        chain.state.get(
            StateKeys.evidence(culprit.getEd25519PublicKey(), 7, 2, VoteType.VOTE_TYPE_PREVOTE));
    assertNotNull(stored);
    assertArrayEquals(
        io.prosima.proto.wire.TxCodec.hash(tx), Arrays.copyOfRange(stored, 8, stored.length));
    // Another round, or the other vote type, is a different equivocation.
    assertFalse(view.evidenceRecorded(e.getVoteA().toBuilder().setRound(3).build()));
    assertFalse(
        view.evidenceRecorded(
            e.getVoteA().toBuilder().setType(VoteType.VOTE_TYPE_PRECOMMIT).build()));
  }

  @Test
  void aValidatorMayReportItsOwnEquivocationAndNilCountsAsADifferentVote() {
    Evidence e = evidence(vote(reporter, ByteString.EMPTY), vote(reporter, blockId(3)));
    assertNull(chain.refusalOf(tx(reporter, 1, e)));
  }

  @Test
  void precommitEvidenceIsAcceptedToo() {
    Vote a = sign(unsignedVote(culprit, blockId(1)).setType(VoteType.VOTE_TYPE_PRECOMMIT), culprit);
    Vote b = sign(unsignedVote(culprit, blockId(2)).setType(VoteType.VOTE_TYPE_PRECOMMIT), culprit);
    assertNull(chain.refusalOf(tx(reporter, 1, evidence(a, b))));
  }

  @Test
  void votesForTheSameBlockAreNoEquivocation() {
    assertInvalid("same block id", evidence(vote(culprit, blockId(1)), vote(culprit, blockId(1))));
    assertInvalid(
        "same block id",
        evidence(vote(culprit, ByteString.EMPTY), vote(culprit, ByteString.EMPTY)));
  }

  @Test
  void votesForDifferentHeightsRoundsOrTypesAreRefused() {
    Vote a = vote(culprit, blockId(1));
    assertInvalid(
        "different heights",
        evidence(a, sign(unsignedVote(culprit, blockId(2)).setHeight(8), culprit)));
    assertInvalid(
        "different rounds",
        evidence(a, sign(unsignedVote(culprit, blockId(2)).setRound(3), culprit)));
    assertInvalid(
        "different types",
        evidence(
            a,
            sign(
                unsignedVote(culprit, blockId(2)).setType(VoteType.VOTE_TYPE_PRECOMMIT), culprit)));
    assertInvalid(
        "prevote or a precommit",
        evidence(
            sign(
                unsignedVote(culprit, blockId(1)).setType(VoteType.VOTE_TYPE_UNSPECIFIED), culprit),
            sign(
                unsignedVote(culprit, blockId(2)).setType(VoteType.VOTE_TYPE_UNSPECIFIED),
                culprit)));
  }

  @Test
  void votesFromDifferentValidatorsAreRefused() {
    assertInvalid(
        "different validators",
        evidence(vote(culprit, blockId(1)), vote(chain.validators.get(2), blockId(2))));
  }

  @Test
  void votesFromANonValidatorAreRefused() {
    KeyFile stranger = KeyGenerator.newKey("x", Role.ROLE_HOSPITAL, false, new SecureRandom());
    assertInvalid(
        "not a genesis validator",
        evidence(vote(stranger, blockId(1)), vote(stranger, blockId(2))));
    assertInvalid(
        "not a genesis validator",
        evidence(vote(chain.hospital, blockId(1)), vote(chain.hospital, blockId(2))));
  }

  @Test
  void aBadSignatureOnEitherVoteIsRefused() {
    Vote a = vote(culprit, blockId(1));
    Vote b = vote(culprit, blockId(2));
    // Signed by someone else.
    Vote forgedA = sign(unsignedVote(culprit, blockId(1)), chain.validators.get(2));
    Vote forgedB = sign(unsignedVote(culprit, blockId(2)), chain.validators.get(2));
    assertInvalid("vote_a's signature", evidence(forgedA, b));
    assertInvalid("vote_b's signature", evidence(a, forgedB));
    // Valid signature, but for other content.
    assertInvalid("vote_a's signature", evidence(a.toBuilder().setBlockId(blockId(9)).build(), b));
    assertInvalid("vote_b's signature", evidence(a, b.toBuilder().setBlockId(blockId(9)).build()));
    // Missing or truncated signature.
    assertInvalid("vote_b's signature", evidence(a, b.toBuilder().clearSignature().build()));
    assertInvalid(
        "vote_a's signature",
        evidence(a.toBuilder().setSignature(a.getSignature().substring(0, 63)).build(), b));
  }

  @Test
  void votesForAnotherChainAreRefused() {
    Vote a = sign(unsignedVote(culprit, blockId(1)).setChainId("other"), culprit);
    Vote b = sign(unsignedVote(culprit, blockId(2)).setChainId("other"), culprit);
    assertInvalid("for chain", evidence(a, b));
    assertInvalid("for chain", evidence(vote(culprit, blockId(1)), b));
    // Valid for "other", checked against the votes' own chain.
    assertNull(EvidenceTxs.check("other", new ValidatorSet(chain.genesis), evidence(a, b)));
  }

  @Test
  void missingVotesOrEvidenceAreRefused() {
    assertInvalid("two votes", Evidence.newBuilder().setVoteA(vote(culprit, blockId(1))).build());
    assertRefused(
        REFUSAL_PAYLOAD_INVALID,
        "evidence is required",
        chain.sign(
            reporter,
            1,
            Payload.newBuilder()
                .setEquivocationEvidence(
                    io.prosima.proto.v1.EquivocationEvidence.getDefaultInstance())
                .build()));
  }

  @Test
  void onlyValidatorsMaySubmitEvidence() {
    Evidence e = goodEvidence();
    assertRefused(REFUSAL_ROLE_FORBIDDEN, "only validators", tx(chain.hospital, 1, e));
    assertRefused(REFUSAL_ROLE_FORBIDDEN, "only validators", tx(chain.auditor, 1, e));
    assertRefused(REFUSAL_ROLE_FORBIDDEN, "only validators", tx(chain.admin, 1, e));
    KeyFile stranger = KeyGenerator.newKey("x", Role.ROLE_HOSPITAL, false, new SecureRandom());
    assertRefused(REFUSAL_UNKNOWN_SIGNER, "neither", tx(stranger, 1, e));
  }

  @Test
  void validatorsStillMayNotSubmitClientPayloads() {
    assertRefused(
        REFUSAL_UNKNOWN_SIGNER,
        "not a registered identity",
        chain.sign(reporter, 1, TestChain.payload(TestChain.anchor("img-1"))));
  }

  @Test
  void theSameEquivocationIsRecordedOnlyOnceInEitherVoteOrder() {
    Evidence e = goodEvidence();
    chain.commit(tx(reporter, 1, e));
    assertRefused(REFUSAL_DUPLICATE, "already recorded", tx(reporter, 2, e));
    assertRefused(REFUSAL_DUPLICATE, "already recorded", tx(chain.validators.get(2), 1, e));
    assertRefused(REFUSAL_DUPLICATE, "already recorded", tx(chain.validators.get(2), 1, swap(e)));
    // Other vote pairs for the same (validator, height, round, type) are the same equivocation.
    Evidence third = evidence(vote(culprit, blockId(1)), vote(culprit, blockId(5)));
    assertRefused(REFUSAL_DUPLICATE, "already recorded", tx(chain.validators.get(2), 1, third));
    // A different round is a different equivocation.
    Evidence otherRound =
        evidence(
            sign(unsignedVote(culprit, blockId(1)).setRound(3), culprit),
            sign(unsignedVote(culprit, blockId(2)).setRound(3), culprit));
    assertNull(chain.refusalOf(tx(chain.validators.get(2), 1, otherRound)));
  }

  @Test
  void aDuplicateInTheSameBlockIsRejected() {
    Evidence e = goodEvidence();
    var result = chain.commit(tx(reporter, 1, e), tx(chain.validators.get(2), 1, swap(e)));
    assertEquals(1, result.applied().size());
    assertEquals(1, result.rejected().size());
    assertEquals(REFUSAL_DUPLICATE, result.rejected().get(0).refusal().code());
  }

  @Test
  void unknownFieldsInsideAVoteAreMalformed() {
    Evidence e = goodEvidence();
    Vote withUnknown =
        e.getVoteA().toBuilder()
            .setUnknownFields(
                com.google.protobuf.UnknownFieldSet.newBuilder()
                    .addField(
                        99,
                        com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                    .build())
            .build();
    assertRefused(
        REFUSAL_MALFORMED, "unknown", tx(reporter, 1, e.toBuilder().setVoteA(withUnknown).build()));
  }

  @Test
  void voteSigningBytesAreUnchangedByTheMoveToVoteProto() {
    Vote v =
        Vote.newBuilder()
            .setChainId("c")
            .setType(VoteType.VOTE_TYPE_PRECOMMIT)
            .setHeight(5)
            .setRound(1)
            .setBlockId(ByteString.copyFrom(new byte[] {7, 8}))
            .setValidator(ByteString.copyFrom(new byte[] {9}))
            .setSignature(ByteString.copyFrom(new byte[] {1, 1}))
            .build();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes("prosima/vote/v1".getBytes(StandardCharsets.US_ASCII));
    expected.write(0);
    expected.writeBytes(
        new byte[] {
          0x0a,
          1,
          'c', // chain_id = 1
          0x10,
          2, // type = 2
          0x18,
          5, // height = 3
          0x20,
          1, // round = 4
          0x2a,
          2,
          7,
          8, // block_id = 5
          0x32,
          1,
          9 // validator = 6; signature (7) cleared
        });
    assertArrayEquals(expected.toByteArray(), BlockCodec.voteSigningBytes(v));
  }

  private static Evidence swap(Evidence e) {
    return evidence(e.getVoteB(), e.getVoteA());
  }
}
