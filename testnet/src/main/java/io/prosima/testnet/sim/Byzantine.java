package io.prosima.testnet.sim;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.prosima.consensus.bft.Signing;
import io.prosima.node.ledger.CompactProposals;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.CompactProposal;
import io.prosima.proto.v1.ConsensusMessage;
import io.prosima.proto.v1.Gossip;
import io.prosima.proto.v1.GossipBody;
import io.prosima.proto.v1.Proposal;
import io.prosima.proto.v1.SyncResponse;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.Vote;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.Ed25519Keys;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a Byzantine validator sends in place of what its (real, honest) replica asked for. Each mode
 * is one of the weaknesses a review found in the node; the honest nodes run the node's own checks
 * against them. Twins modes ({@link ByzantineMode#EQUIVOCATING_PROPOSER}, {@link
 * ByzantineMode#DOUBLE_VOTER}) need no rewriting: two honest replicas with one key equivocate.
 */
final class Byzantine {
  /** A lying neighbour claims to be this far ahead. */
  static final long LIE_HEIGHTS = 10_000;

  /** An unknown protobuf field number, appended to signed consensus messages. */
  static final int UNKNOWN_FIELD = 99;

  /** Stand-in for a frame over the transport's limit; the receiving transport drops it. */
  record Oversized(long bytes) {}

  private Byzantine() {}

  /** The gossip to send to neighbour number {@code index} of {@code n} for {@code g}. */
  static Gossip rewrite(
      SimNode n, Gossip g, int index, List<ByteString> honestKeys, SplittableRandom rng) {
    GossipBody body = g.getBody();
    // Proposals travel compact; the misbehaviours rewrite the full proposal, rebuilt from the
    // node's own mempool (it built or took the block), and send it compact again.
    ConsensusMessage m =
        body.hasConsensus()
            ? body.getConsensus()
            : body.hasCompactProposal() ? full(n, body.getCompactProposal()) : null;
    switch (n.mode) {
      case UNKNOWN_FIELDS -> {
        if (m != null) {
          return g.toBuilder().setBody(CompactProposals.wire(withUnknownField(n, m))).build();
        }
      }
      case FUTURE_TIME -> {
        if (m != null && m.hasProposal()) {
          Proposal p = m.getProposal();
          Block b = p.getBlock();
          // Near 2^64 as an unsigned time: no honest block could follow it.
          Block far = b.toBuilder().setHeader(b.getHeader().toBuilder().setTimeMs(-2L)).build();
          Proposal forged = sign(n, p.toBuilder().setBlock(far).build());
          return withBody(g, CompactProposals.wire(proposal(forged)));
        }
      }
      case TAMPERED_BODY -> {
        // Every other neighbour gets the full proposal without its last transaction, under the
        // authentic header and signature: those nodes must not let it poison the genuine block.
        if (index % 2 == 0 && m != null && m.hasProposal()) {
          Proposal p = m.getProposal();
          if (p.getBlock().getTxsCount() > 0) {
            Proposal cut = p.toBuilder().setBlock(tamper(p.getBlock())).build();
            return withBody(g, GossipBody.newBuilder().setConsensus(proposal(cut)).build());
          }
        }
      }
      case FORGED_ORIGIN -> {
        // Claims an honest validator's origin and a guess at its next sequence numbers.
        ByteString victim = honestKeys.get(rng.nextInt(honestKeys.size()));
        return g.toBuilder().setOrigin(victim).setSequence(rng.nextLong(0, 1L << 20)).build();
      }
      default -> {}
    }
    return g;
  }

  /** The full proposal of a compact one, from the node's own transactions; null if it lacks one. */
  private static ConsensusMessage full(SimNode n, CompactProposal c) {
    Block.Builder b = c.getProposal().getBlock().toBuilder();
    for (ByteString h : c.getTxHashesList()) {
      Transaction tx = n.replica.pendingTx(h);
      tx = tx != null ? tx : n.replica.committedTx(h);
      if (tx == null) {
        return null;
      }
      b.addTxs(tx);
    }
    return proposal(c.getProposal().toBuilder().setBlock(b).build());
  }

  private static ConsensusMessage proposal(Proposal p) {
    return ConsensusMessage.newBuilder().setProposal(p).build();
  }

  private static Gossip withBody(Gossip g, GossipBody body) {
    return g.toBuilder().setBody(body).build();
  }

  /**
   * Junk a FORGED_ORIGIN node floods besides its own messages: a vote with a broken signature under
   * an honest validator's origin.
   */
  static Gossip junk(SimNode n, ByteString victim, SplittableRandom rng) {
    Vote v =
        Vote.newBuilder()
            .setChainId(SimGenesis.CHAIN_ID)
            .setHeight(n.height() + 1)
            .setValidator(victim)
            .setSignature(ByteString.copyFrom(randomBytes(rng, 64)))
            .build();
    return Gossip.newBuilder()
        .setOrigin(victim)
        .setSequence(rng.nextLong(0, 1L << 20))
        .setTtl(8)
        .setBody(GossipBody.newBuilder().setConsensus(ConsensusMessage.newBuilder().setVote(v)))
        .build();
  }

  /** The height this node announces to its neighbours. */
  /** A transaction hash no one holds: announced by a Byzantine node, it costs a request each. */
  static byte[] junkHash(SplittableRandom rng) {
    byte[] h = new byte[32];
    rng.nextBytes(h);
    return h;
  }

  static long claimedHeight(SimNode n) {
    return n.mode == ByzantineMode.LYING_HEIGHT ? n.height() + LIE_HEIGHTS : n.height();
  }

  /** This node's answer to a sync request, rewritten as its mode says; null sends none. */
  static SyncResponse answer(SimNode n, SyncResponse honest) {
    return switch (n.mode) {
      case LYING_HEIGHT -> SyncResponse.getDefaultInstance(); // claims much, delivers nothing
      case NEVER_READS -> null;
      case TAMPERED_BODY -> {
        SyncResponse.Builder r = SyncResponse.newBuilder();
        for (CommittedBlock cb : honest.getBlocksList()) {
          r.addBlocks(
              cb.getBlock().getTxsCount() > 0
                  ? cb.toBuilder().setBlock(tamper(cb.getBlock())).build()
                  : cb);
        }
        yield r.build();
      }
      default -> honest;
    };
  }

  private static Block tamper(Block b) {
    return b.toBuilder().removeTxs(b.getTxsCount() - 1).build();
  }

  /** The message with an unknown field, signed over it (so the signature verifies). */
  private static ConsensusMessage withUnknownField(SimNode n, ConsensusMessage m) {
    UnknownFieldSet extra =
        UnknownFieldSet.newBuilder()
            .addField(UNKNOWN_FIELD, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
            .build();
    ConsensusMessage.Builder out = ConsensusMessage.newBuilder();
    if (m.hasProposal()) {
      out.setProposal(sign(n, m.getProposal().toBuilder().setUnknownFields(extra).build()));
    } else {
      Vote v = m.getVote().toBuilder().setUnknownFields(extra).clearSignature().build();
      out.setVote(
          v.toBuilder()
              .setSignature(
                  ByteString.copyFrom(
                      Ed25519Keys.sign(
                          n.key.getEd25519PrivateKey().toByteArray(),
                          n.key.getEd25519PublicKey().toByteArray(),
                          BlockCodec.voteSigningBytes(v)))));
    }
    return out.build();
  }

  private static Proposal sign(SimNode n, Proposal p) {
    Proposal unsigned = p.toBuilder().clearSignature().build();
    byte[] sig =
        Ed25519Keys.sign(
            n.key.getEd25519PrivateKey().toByteArray(),
            n.key.getEd25519PublicKey().toByteArray(),
            Signing.proposalSigningBytes(unsigned));
    return unsigned.toBuilder().setSignature(ByteString.copyFrom(sig)).build();
  }

  private static byte[] randomBytes(SplittableRandom rng, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) rng.nextInt(256);
    }
    return b;
  }
}
