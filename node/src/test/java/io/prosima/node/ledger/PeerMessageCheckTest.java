package io.prosima.node.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.genesis.ValidatorSets;
import io.prosima.proto.v1.ConsensusMessage;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Vote;
import io.prosima.proto.v1.VoteType;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.Ed25519Keys;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** What a node takes (and so lets p2p relay) of the consensus messages neighbours gossip. */
class PeerMessageCheckTest {
  private final GenesisBuilder.Result chain = chain();
  private final ValidatorSets validators = ValidatorSets.genesisOnly(chain.genesis());
  private final KeyFile v0 = chain.validatorKeys().get(0);

  private static GenesisBuilder.Result chain() {
    try {
      return new GenesisBuilder()
          .chainId("check")
          .validators(4)
          .regions(1)
          .clients(1, 0, 0)
          .basePort(20_000)
          .build(new SecureRandom());
    } catch (io.prosima.genesis.GenesisException e) {
      throw new IllegalStateException(e);
    }
  }

  private Vote signed(Vote unsigned, KeyFile key) {
    byte[] sig =
        Ed25519Keys.sign(
            key.getEd25519PrivateKey().toByteArray(),
            key.getEd25519PublicKey().toByteArray(),
            BlockCodec.voteSigningBytes(unsigned));
    return unsigned.toBuilder().setSignature(ByteString.copyFrom(sig)).build();
  }

  private Vote prevote(long height, KeyFile key) {
    return signed(
        Vote.newBuilder()
            .setChainId("check")
            .setHeight(height)
            .setRound(0)
            .setType(VoteType.VOTE_TYPE_PREVOTE)
            .setBlockId(ByteString.copyFrom(new byte[32]))
            .setValidator(key.getEd25519PublicKey())
            .build(),
        key);
  }

  private String check(Vote v, long tip) {
    return PeerMessageCheck.check(
        ConsensusMessage.newBuilder().setVote(v).build(), "check", validators, tip);
  }

  @Test
  void aValidatorsSignedVoteForTheNextHeightIsTaken() {
    assertNull(check(prevote(11, v0), 10));
  }

  @Test
  void aVoteWhoseSignatureDoesNotVerifyIsNotTakenNorRelayed() {
    Vote forged = prevote(11, v0).toBuilder().setRound(1).build();
    assertEquals("has a signature that does not verify", check(forged, 10));
  }

  @Test
  void aVoteSignedByAKeyOutsideTheValidatorSetIsNotTaken() {
    KeyFile client = chain.clientKeys().get(0);
    assertEquals("is not signed by a validator", check(prevote(11, client), 10));
  }

  @Test
  void aVoteCarryingAnUnknownFieldIsNotTaken() {
    Vote odd =
        prevote(11, v0).toBuilder()
            .setUnknownFields(
                UnknownFieldSet.newBuilder()
                    .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                    .build())
            .build();
    assertEquals("carries unknown fields", check(odd, 10));
  }

  @Test
  void votesForHeightsFarAboveOrBelowOursAreNotTakenEvenNearTwoToThe64() {
    assertTrue(
        check(prevote(10 + 2 + PeerMessageCheck.FUTURE_HEIGHTS_MAX, v0), 10).contains("far"));
    assertTrue(check(prevote(9, v0), 10).contains("far"));
    assertTrue(check(prevote(-1L, v0), 10).contains("far"));
    assertNull(check(prevote(10 + 1 + PeerMessageCheck.FUTURE_HEIGHTS_MAX, v0), 10));
  }

  @Test
  void aVoteForAnotherChainIsNotTaken() {
    Vote other =
        signed(prevote(11, v0).toBuilder().setChainId("other").clearSignature().build(), v0);
    assertEquals("is for another chain", check(other, 10));
  }
}
