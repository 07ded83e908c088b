package io.prosima.node.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.AccessLog;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.BlockHeader;
import io.prosima.proto.v1.CompactProposal;
import io.prosima.proto.v1.ConsensusMessage;
import io.prosima.proto.v1.GossipBody;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.Proposal;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.wire.BlockMemo;
import io.prosima.proto.wire.TxCodec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Compact proposals: rebuilt byte for byte from the mempool, missing transactions fetched. */
class CompactProposalsTest {
  static final ByteString NEIGHBOUR = ByteString.copyFromUtf8("neighbour");

  private final Map<ByteString, Transaction> mempool = new HashMap<>();
  private final CompactProposals compacts = new CompactProposals(mempool::get, 100);

  private static Transaction tx(int i) {
    return Transaction.newBuilder()
        .setChainId("c")
        .setNonce(i)
        .setPayload(Payload.newBuilder().setAccessLog(AccessLog.newBuilder().setImageId("i" + i)))
        .setSignature(ByteString.copyFrom(new byte[64]))
        .build();
  }

  private static ByteString hash(Transaction tx) {
    return ByteString.copyFrom(TxCodec.hash(tx));
  }

  private static ConsensusMessage proposal(List<Transaction> txs) {
    Block b =
        Block.newBuilder()
            .setHeader(BlockHeader.newBuilder().setHeight(7).setTxCount(txs.size()))
            .addAllTxs(txs)
            .build();
    return ConsensusMessage.newBuilder()
        .setProposal(
            Proposal.newBuilder()
                .setHeight(7)
                .setBlock(b)
                .setSignature(ByteString.copyFrom(new byte[] {1, 2, 3})))
        .build();
  }

  @Test
  void aProposalGoesCompactAndComesBackByteForByteFromTheMempool() {
    List<Transaction> txs = List.of(tx(1), tx(2), tx(3));
    txs.forEach(t -> mempool.put(hash(t), t));
    ConsensusMessage full = proposal(txs);
    GossipBody wire = CompactProposals.wire(full);

    assertTrue(wire.hasCompactProposal());
    assertEquals(0, wire.getCompactProposal().getProposal().getBlock().getTxsCount());
    assertTrue(wire.getSerializedSize() < full.getSerializedSize());
    CompactProposals.Received r = compacts.receive(wire.getCompactProposal(), NEIGHBOUR, 0);
    assertEquals(full.toByteString(), r.full().toByteString(), "the signed bytes are restored");
    List<byte[]> known = BlockMemo.knownTxHashes(r.full().getProposal().getBlock());
    assertNotNull(known, "the rebuilt block's hashes are known without hashing it again");
    for (int i = 0; i < txs.size(); i++) {
      assertEquals(hash(txs.get(i)), ByteString.copyFrom(known.get(i)));
    }
  }

  @Test
  void missingTransactionsAreFetchedFromNeighboursAndThenCompleteTheProposal() {
    List<Transaction> txs = List.of(tx(1), tx(2), tx(3));
    mempool.put(hash(tx(2)), tx(2));
    ConsensusMessage full = proposal(txs);
    CompactProposal c = CompactProposals.wire(full).getCompactProposal();

    CompactProposals.Received r = compacts.receive(c, NEIGHBOUR, 0);
    assertNull(r.full());
    assertEquals(List.of(hash(tx(1)), hash(tx(3))), r.missing());
    assertTrue(compacts.fetched(NEIGHBOUR, List.of(tx(1), tx(4)), 1).isEmpty(), "still missing 3");
    // Any neighbour's answer counts: a transaction is taken only under its own hash.
    List<CompactProposals.Completed> done =
        compacts.fetched(ByteString.copyFromUtf8("other"), List.of(tx(3)), 2);
    assertEquals(1, done.size());
    assertEquals(full.toByteString(), done.get(0).full().toByteString());
    assertEquals(c, done.get(0).compact().getCompactProposal());
    assertNotNull(compacts.recent(hash(tx(1))), "kept to answer our own neighbours' fetches");
  }

  @Test
  void whatIsStillMissingIsAskedForAgainAfterASecondAndNotBefore() {
    List<Transaction> txs = List.of(tx(1), tx(2), tx(3));
    mempool.put(hash(tx(2)), tx(2));
    CompactProposal c = CompactProposals.wire(proposal(txs)).getCompactProposal();
    long second = CompactProposals.REFETCH_AFTER_NANOS;

    compacts.receive(c, NEIGHBOUR, 0);
    assertTrue(compacts.toFetchAgain(second - 1, 7).isEmpty(), "asked at receipt, too soon again");
    assertTrue(compacts.toFetchAgain(second, 6).isEmpty(), "a later height waits for its turn");
    assertEquals(List.of(hash(tx(1)), hash(tx(3))), compacts.toFetchAgain(second, 7));
    assertTrue(compacts.toFetchAgain(second + 1, 7).isEmpty(), "just asked again");

    compacts.fetched(NEIGHBOUR, List.of(tx(1)), second + 2);
    assertEquals(
        List.of(hash(tx(3))), compacts.toFetchAgain(2 * second, 7), "only what is missing");
    mempool.put(hash(tx(3)), tx(3)); // arrived by gossip instead
    assertTrue(compacts.toFetchAgain(3 * second, 7).isEmpty(), "nothing missing any more");
  }

  @Test
  void aProposalForACommittedHeightIsDroppedNotFetchedAgain() {
    CompactProposal c = CompactProposals.wire(proposal(List.of(tx(1)))).getCompactProposal();
    compacts.receive(c, NEIGHBOUR, 0);
    assertEquals(1, compacts.pendingCount());

    assertTrue(compacts.toFetchAgain(CompactProposals.REFETCH_AFTER_NANOS, 8).isEmpty());
    assertEquals(0, compacts.pendingCount(), "height 7 is committed: nothing waits for it");
  }

  @Test
  void aProposalIsSeenAsBeingFetchedForItsHeightRoundAndProposerUntilItIsWhole() {
    ByteString proposer = ByteString.copyFromUtf8("proposer");
    ConsensusMessage full = proposal(List.of(tx(1)));
    full =
        full.toBuilder()
            .setProposal(full.getProposal().toBuilder().setRound(2).setProposer(proposer))
            .build();
    BlockMemo.rememberTxHashes(full.getProposal().getBlock(), List.of(TxCodec.hash(tx(1))));
    CompactProposal c = CompactProposals.wire(full).getCompactProposal();

    compacts.receive(c, NEIGHBOUR, 0);

    assertTrue(compacts.waitingFor(7, 2, proposer));
    assertFalse(compacts.waitingFor(7, 1, proposer), "another round");
    assertFalse(compacts.waitingFor(8, 2, proposer), "another height");
    assertFalse(compacts.waitingFor(7, 2, NEIGHBOUR), "signed as someone else");
    compacts.fetched(NEIGHBOUR, List.of(tx(1)), 1);
    assertFalse(compacts.waitingFor(7, 2, proposer), "whole now");
  }

  @Test
  void aCopyNamingOtherTransactionsUnderTheSameSignatureDoesNotShadowTheGenuineOne() {
    List<Transaction> txs = List.of(tx(1), tx(2));
    txs.forEach(t -> mempool.put(hash(t), t));
    CompactProposal genuine = CompactProposals.wire(proposal(txs)).getCompactProposal();
    CompactProposal forged =
        genuine.toBuilder().setTxHashes(1, ByteString.copyFrom(new byte[32])).build();

    assertNull(compacts.receive(forged, NEIGHBOUR, 0).full(), "waits for a tx nobody has");
    assertNotNull(compacts.receive(genuine, ByteString.copyFromUtf8("honest"), 1).full());
  }

  @Test
  void malformedCompactProposalsAreRefused() {
    CompactProposal c = CompactProposals.wire(proposal(List.of(tx(1)))).getCompactProposal();
    assertNotNull(
        compacts.receive(c.toBuilder().addTxHashes(hash(tx(2))).build(), NEIGHBOUR, 0).problem());
    assertNotNull(
        compacts
            .receive(
                c.toBuilder().setTxHashes(0, ByteString.copyFromUtf8("short")).build(),
                NEIGHBOUR,
                0)
            .problem());
    CompactProposal withTxs =
        c.toBuilder()
            .setProposal(
                c.getProposal().toBuilder()
                    .setBlock(c.getProposal().getBlock().toBuilder().addTxs(tx(1))))
            .build();
    assertNotNull(compacts.receive(withTxs, NEIGHBOUR, 0).problem());
  }

  @Test
  void waitingProposalsAreBoundedAndExpire() {
    for (int i = 0; i < CompactProposals.PENDING_MAX + 5; i++) {
      compacts.receive(
          CompactProposals.wire(proposal(List.of(tx(100 + i)))).getCompactProposal(), NEIGHBOUR, 0);
    }
    assertEquals(CompactProposals.PENDING_MAX, compacts.pendingCount());
    compacts.fetched(NEIGHBOUR, List.of(), CompactProposals.PENDING_EXPIRY_NANOS + 1);
    compacts.receive(
        CompactProposals.wire(proposal(List.of(tx(1)))).getCompactProposal(),
        NEIGHBOUR,
        CompactProposals.PENDING_EXPIRY_NANOS + 1);
    assertEquals(1, compacts.pendingCount(), "the old ones expired");
  }
}
