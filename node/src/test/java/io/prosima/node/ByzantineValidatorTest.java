package io.prosima.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.prosima.consensus.bft.ProposerSchedule;
import io.prosima.consensus.bft.Signing;
import io.prosima.genesis.ChainLayout;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.genesis.ValidatorSet;
import io.prosima.p2p.P2pNetwork;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.BlockHeader;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.ConsensusMessage;
import io.prosima.proto.v1.GossipBody;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Proposal;
import io.prosima.proto.v1.Vote;
import io.prosima.proto.v1.VoteType;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.Ed25519Keys;
import io.prosima.proto.wire.MerkleTree;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Byzantine validator (this test, holding validator-3's key on the real overlay) sends signed but
 * malformed consensus messages. Three honest validators of four (equal weights) are exactly a
 * quorum, so any message they wrongly accept shows up as a halted chain or a bad certificate.
 */
class ByzantineValidatorTest {
  /** Heights the honest validators must commit while the Byzantine one is at work. */
  private static final long HEIGHTS_TO_COMMIT = 5;

  @TempDir Path dir;
  private GenesisBuilder.Result chain;
  private KeyFile byzantine;
  private final List<LedgerNode> honest = new ArrayList<>();
  private final ExecutorService sender = Executors.newSingleThreadExecutor();

  @BeforeEach
  void createChain() throws Exception {
    chain =
        new GenesisBuilder()
            .chainId("byzantine")
            .validators(4)
            .regions(1)
            .equalWeights(true)
            .clients(1, 1, 0)
            .basePort(TestChains.basePortBelowEphemeral())
            .build(new SecureRandom());
    ChainLayout.write(dir, chain);
    byzantine = chain.validatorKeys().get(3);
  }

  private void startHonest() throws Exception {
    for (int i = 0; i < 3; i++) {
      honest.add(
          LedgerNode.start(
              NodeConfig.defaults(ChainLayout.nodeHome(dir, chain.validatorKeys().get(i)))));
    }
  }

  @AfterEach
  void stop() {
    sender.shutdownNow();
    for (LedgerNode n : honest) {
      n.close();
    }
  }

  private static UnknownFieldSet unknownField() {
    return UnknownFieldSet.newBuilder()
        .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(7).build())
        .build();
  }

  @Test
  void precommitsCarryingAnUnknownFieldAreRefusedSoEveryCertificateVerifiesAndTheChainGoesOn()
      throws Exception {
    AtomicReference<P2pNetwork> twin = new AtomicReference<>();
    Set<String> echoed = new HashSet<>();
    AtomicInteger sent = new AtomicInteger();
    // Echo each honest precommit for a block as validator-3's, with an unknown field signed in.
    try (P2pNetwork net =
        TestPeers.joinAs(
            chain,
            byzantine,
            (origin, body) -> {
              if (!body.hasConsensus() || !body.getConsensus().hasVote()) {
                return;
              }
              Vote v = body.getConsensus().getVote();
              if (v.getType() != VoteType.VOTE_TYPE_PRECOMMIT || v.getBlockId().isEmpty()) {
                return;
              }
              sender.execute(
                  () -> {
                    if (!echoed.add(v.getHeight() + "/" + v.getRound())) {
                      return;
                    }
                    Vote odd = oddVote(v, VoteType.VOTE_TYPE_PRECOMMIT);
                    Vote oddPrevote = oddVote(v, VoteType.VOTE_TYPE_PREVOTE);
                    for (Vote x : List.of(oddPrevote, odd)) {
                      twin.get()
                          .broadcast(
                              GossipBody.newBuilder()
                                  .setConsensus(ConsensusMessage.newBuilder().setVote(x))
                                  .build());
                    }
                    sent.incrementAndGet();
                  });
            })) {
      twin.set(net);
      startHonest();
      LedgerNode first = honest.get(0);
      await().atMost(Duration.ofSeconds(60)).until(() -> sent.get() >= 1);
      long target = first.core().store().height() + HEIGHTS_TO_COMMIT;
      await().atMost(Duration.ofSeconds(90)).until(() -> first.core().store().height() >= target);
      assertTrue(sent.get() >= HEIGHTS_TO_COMMIT, "the Byzantine votes went out every height");
      // Each certificate becomes the next block's last_commit: each must verify everywhere.
      ValidatorSet set = new ValidatorSet(chain.genesis());
      for (LedgerNode n : honest) {
        long top = n.core().store().height();
        for (long h = 1; h <= top; h++) {
          CommittedBlock b = n.core().store().block(h).orElseThrow();
          assertNull(
              BlockCodec.checkCommit(
                  chain.genesis().getChainId(),
                  BlockCodec.blockId(b.getBlock().getHeader()),
                  b.getCommit(),
                  set.weights()),
              "certificate of height " + h);
        }
      }
    }
  }

  /** validator-3's vote of {@code type} for the block of {@code honest}, with an unknown field. */
  private Vote oddVote(Vote honestVote, VoteType type) {
    Vote unsigned =
        honestVote.toBuilder()
            .clearSignature()
            .setType(type)
            .setValidator(byzantine.getEd25519PublicKey())
            .setUnknownFields(unknownField())
            .build();
    byte[] sig =
        Ed25519Keys.sign(
            byzantine.getEd25519PrivateKey().toByteArray(),
            byzantine.getEd25519PublicKey().toByteArray(),
            BlockCodec.voteSigningBytes(unsigned));
    return unsigned.toBuilder().setSignature(ByteString.copyFrom(sig)).build();
  }

  @Test
  void aProposalTimedAtTheTopOfTheSignedRangeIsPrevotedNilAndTheChainGoesOn() throws Exception {
    ProposerSchedule schedule = new ProposerSchedule(new ValidatorSet(chain.genesis()).weights());
    ByteString self = byzantine.getEd25519PublicKey();
    Set<String> proposed = new HashSet<>();
    try (P2pNetwork twin = TestPeers.joinAs(chain, byzantine)) {
      startHonest();
      LedgerNode first = honest.get(0);
      await().atMost(Duration.ofSeconds(60)).until(() -> first.core().store().height() >= 1);
      long target = first.core().store().height() + HEIGHTS_TO_COMMIT;
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      // On each of validator-3's turns, propose a block whose time no honest block can follow.
      while (first.core().store().height() < target && System.nanoTime() < deadline) {
        long tip = first.core().store().height();
        for (int round = 0; round < 3; round++) {
          if (schedule.proposer(tip + 1, round).equals(self)
              && proposed.add((tip + 1) + "/" + round)) {
            twin.broadcast(
                GossipBody.newBuilder()
                    .setConsensus(
                        ConsensusMessage.newBuilder()
                            .setProposal(futureProposal(first, tip + 1, round)))
                    .build());
          }
        }
        Thread.sleep(50);
      }
      assertTrue(!proposed.isEmpty(), "validator-3 had a turn");
      assertTrue(first.core().store().height() >= target, "the chain must keep committing");
      for (long h = 1; h <= first.core().store().height(); h++) {
        long t = first.core().store().block(h).orElseThrow().getBlock().getHeader().getTimeMs();
        assertTrue(t > 0 && t < Long.MAX_VALUE, "block " + h + " time " + t);
      }
    }
  }

  /** A complete, otherwise valid proposal of validator-3 at time Long.MAX_VALUE ms. */
  private Proposal futureProposal(LedgerNode node, long height, int round) {
    CommittedBlock parent = node.core().store().block(height - 1).orElseThrow();
    BlockHeader header =
        BlockHeader.newBuilder()
            .setChainId(chain.genesis().getChainId())
            .setHeight(height)
            .setTimeMs(Long.MAX_VALUE)
            .setPreviousHash(ByteString.copyFrom(BlockCodec.blockId(parent.getBlock().getHeader())))
            .setTxRoot(ByteString.copyFrom(MerkleTree.root(List.of())))
            .setStateHash(ByteString.copyFrom(node.core().store().lastStateHash().orElseThrow()))
            .setProposer(byzantine.getEd25519PublicKey())
            .setTxCount(0)
            .setLastCommit(parent.getCommit())
            .build();
    Proposal unsigned =
        Proposal.newBuilder()
            .setChainId(chain.genesis().getChainId())
            .setHeight(height)
            .setRound(round)
            .setBlock(Block.newBuilder().setHeader(header))
            .setValidRound(-1)
            .setProposer(byzantine.getEd25519PublicKey())
            .build();
    byte[] sig =
        Ed25519Keys.sign(
            byzantine.getEd25519PrivateKey().toByteArray(),
            byzantine.getEd25519PublicKey().toByteArray(),
            Signing.proposalSigningBytes(unsigned));
    return unsigned.toBuilder().setSignature(ByteString.copyFrom(sig)).build();
  }
}
