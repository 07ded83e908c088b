package io.prosima.node;

import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.prosima.consensus.execution.StateKeys;
import io.prosima.genesis.ChainLayout;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.p2p.P2pNetwork;
import io.prosima.proto.v1.ConsensusMessage;
import io.prosima.proto.v1.GossipBody;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Vote;
import io.prosima.proto.v1.VoteType;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.Ed25519Keys;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Byzantine validator (this test, holding validator-3's key on the real overlay) signs two
 * different prevotes for one height and round. The three honest validators keep committing, detect
 * the equivocation and record it on chain as an evidence transaction.
 */
class EquivocationEvidenceTest {
  @TempDir Path dir;

  @Test
  void twoConflictingPrevotesAreRecordedOnChainAsEvidence() throws Exception {
    GenesisBuilder.Result chain =
        new GenesisBuilder()
            .chainId("evidence")
            .validators(4)
            .regions(1)
            .equalWeights(true)
            .clients(1, 1, 0)
            .basePort(TestChains.basePortBelowEphemeral())
            .build(new SecureRandom());
    ChainLayout.write(dir, chain);
    List<LedgerNode> honest = new ArrayList<>();
    KeyFile byzantine = chain.validatorKeys().get(3);
    try (P2pNetwork twin = TestPeers.joinAs(chain, byzantine)) {
      for (int i = 0; i < 3; i++) {
        honest.add(
            LedgerNode.start(
                NodeConfig.defaults(ChainLayout.nodeHome(dir, chain.validatorKeys().get(i)))));
      }
      LedgerNode first = honest.get(0);
      await().atMost(Duration.ofSeconds(60)).until(() -> first.core().store().height() >= 2);

      // Conflicting prevotes for the next heights (a later one is buffered until its turn).
      List<Vote> sent = new ArrayList<>();
      long next = first.core().store().height() + 1;
      for (long h = next; h <= next + 2; h++) {
        for (int copy = 0; copy < 2; copy++) {
          Vote v = prevote(chain.genesis().getChainId(), h, byzantine);
          sent.add(v);
          twin.broadcast(
              GossipBody.newBuilder()
                  .setConsensus(ConsensusMessage.newBuilder().setVote(v))
                  .build());
        }
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  sent.stream()
                      .anyMatch(v -> first.core().store().state(StateKeys.evidence(v)) != null));
      // Every honest validator holds the same record.
      for (LedgerNode n : honest) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    sent.stream()
                        .anyMatch(v -> n.core().store().state(StateKeys.evidence(v)) != null));
      }
    } finally {
      for (LedgerNode n : honest) {
        n.close();
      }
    }
  }

  private static Vote prevote(String chainId, long height, KeyFile key) {
    byte[] blockId = new byte[32];
    new SecureRandom().nextBytes(blockId);
    Vote unsigned =
        Vote.newBuilder()
            .setChainId(chainId)
            .setType(VoteType.VOTE_TYPE_PREVOTE)
            .setHeight(height)
            .setRound(0)
            .setBlockId(ByteString.copyFrom(blockId))
            .setValidator(key.getEd25519PublicKey())
            .build();
    byte[] sig =
        Ed25519Keys.sign(
            key.getEd25519PrivateKey().toByteArray(),
            key.getEd25519PublicKey().toByteArray(),
            BlockCodec.voteSigningBytes(unsigned));
    return unsigned.toBuilder().setSignature(ByteString.copyFrom(sig)).build();
  }
}
