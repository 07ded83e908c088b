package io.prosima.testnet.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.Block;
import io.prosima.proto.v1.BlockHeader;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.wire.BlockCodec;
import io.prosima.proto.wire.MerkleTree;
import io.prosima.proto.wire.TxCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The simulator's valid(v) refuses blocks whose transactions break a rule, one rule per test. */
class ChainValidatorTest {
  static final String CHAIN_ID = Simulation.CHAIN_ID;
  static final ByteString PROPOSER = ByteString.copyFrom(new byte[32]);

  private final SimClients clients =
      new SimClients(CHAIN_ID, SimGenesis.build(new long[] {1, 1, 1, 1}).clientKeys());
  private final TxCache txCache = new TxCache();
  private final SplittableRandom rng = new SplittableRandom(7);
  private final List<CommittedBlock> chain = new ArrayList<>();
  private final Map<ByteString, Long> chainTxs = new HashMap<>();

  private ChainValidator validator() {
    return new ChainValidator(
        CHAIN_ID, chain, chainTxs, Map.of(PROPOSER, 1L), clients.signers(), txCache);
  }

  /** The next block over {@code txs}, with the header's root and count computed from them. */
  private Block block(List<Transaction> txs) {
    return block(txs, ByteString.copyFrom(BlockCodec.txRoot(txs)), txs.size());
  }

  private Block block(List<Transaction> txs, ByteString txRoot, int txCount) {
    BlockHeader h =
        BlockHeader.newBuilder()
            .setChainId(CHAIN_ID)
            .setHeight(chain.size() + 1)
            .setTimeMs(chain.size() + 1)
            .setPreviousHash(ChainValidator.previousHash(chain))
            .setTxRoot(txRoot)
            .setTxCount(txCount)
            .setProposer(PROPOSER)
            .build();
    return Block.newBuilder().setHeader(h).addAllTxs(txs).build();
  }

  private void commit(Block b) {
    chain.add(CommittedBlock.newBuilder().setBlock(b).build());
    for (Transaction tx : b.getTxsList()) {
      chainTxs.put(txCache.hash(tx), (long) chain.size());
    }
  }

  @Test
  void acceptsSignedClientTransactionsUnderTheirRfc6962Root() {
    List<Transaction> txs = List.of(clients.next(rng), clients.next(rng), clients.next(rng));
    Block b = block(txs);
    assertNull(validator().check(b));
    List<byte[]> hashes = new ArrayList<>();
    for (Transaction tx : txs) {
      hashes.add(TxCodec.hash(tx));
    }
    assertEquals(ByteString.copyFrom(MerkleTree.root(hashes)), b.getHeader().getTxRoot());
  }

  @Test
  void refusesATxRootThatDoesNotMatch() {
    List<Transaction> txs = List.of(clients.next(rng), clients.next(rng));
    Block b = block(txs, ByteString.copyFrom(BlockCodec.txRoot(txs.subList(0, 1))), 2);
    assertEquals("tx root does not match the transactions", validator().check(b));
  }

  @Test
  void refusesATxCountThatDoesNotMatch() {
    List<Transaction> txs = List.of(clients.next(rng), clients.next(rng));
    Block b = block(txs, ByteString.copyFrom(BlockCodec.txRoot(txs)), 1);
    assertTrue(validator().check(b).startsWith("tx count 1"));
  }

  @Test
  void refusesMoreTransactionsThanTheBlockLimit() {
    List<Transaction> txs = new ArrayList<>();
    for (int i = 0; i <= ChainValidator.BLOCK_TXS_MAX; i++) {
      txs.add(clients.next(rng));
    }
    assertTrue(validator().check(block(txs)).contains("> " + ChainValidator.BLOCK_TXS_MAX));
  }

  @Test
  void refusesATransactionTwiceInOneBlock() {
    Transaction tx = clients.next(rng);
    assertEquals("tx 1 appears twice in the block", validator().check(block(List.of(tx, tx))));
  }

  @Test
  void refusesATransactionAlreadyInTheChain() {
    Transaction tx = clients.next(rng);
    commit(block(List.of(tx)));
    Block again = block(List.of(clients.next(rng), tx));
    assertEquals("tx 1 already in the chain at height 1", validator().check(again));
  }

  @Test
  void refusesATransactionForAnotherChain() {
    Transaction tx = clients.next(rng).toBuilder().setChainId("other").build();
    assertEquals("tx 0: chain id", validator().check(block(List.of(tx))));
  }

  @Test
  void refusesATransactionWhoseSignatureDoesNotCoverIt() {
    Transaction signed = clients.next(rng);
    Transaction altered = signed.toBuilder().setNonce(signed.getNonce() + 1).build();
    assertEquals("tx 0: bad signature", validator().check(block(List.of(altered))));
  }

  @Test
  void refusesATransactionFromAnUnknownSigner() {
    Transaction tx =
        clients.next(rng).toBuilder()
            .setSigner(ByteString.copyFrom(new byte[32]).concat(ByteString.copyFromUtf8("x")))
            .build();
    assertEquals("tx 0: unknown signer", validator().check(block(List.of(tx))));
  }
}
