package io.prosima.consensus.execution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.prosima.consensus.mempool.Mempool;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.wire.Canonical;
import io.prosima.proto.wire.TxCodec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.TreeMap;

/**
 * Transaction bytes through the node's admission order (parse, stateless rules, signature, stateful
 * rules against a small chain, mempool) and through the block executor. Either a {@link Refusal}
 * with a real code and message, or admitted; anything thrown is a finding. Checked too: the
 * executor refuses exactly what admission refuses, with the same code; executing is deterministic;
 * a refused transaction writes nothing; an applied one is refused when replayed; the canonical
 * encoding is stable under a parse.
 *
 * <p>Two modes (the last input byte): raw bytes as a whole signed transaction, or bytes as a body
 * the test signs with one of the chain's keys, so the rules behind the signature check are reached.
 * The chain comes from a seeded random, so the committed seeds are signed by its keys.
 */
class TxEnvelopeFuzzTest {
  /** Seeds of the chain's keys; changing it invalidates the signed seeds. */
  private static final byte[] CHAIN_SEED = "prosima-fuzz-chain".getBytes(StandardCharsets.UTF_8);

  private static final TestChain CHAIN = seededChain();

  /** Set up once: an image anchored by the hospital, so image rules have something to refer to. */
  private static TestChain seededChain() {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(CHAIN_SEED);
      TestChain chain = new TestChain(random);
      BlockExecutor.Execution e =
          chain.commit(chain.sign(chain.hospital, 1, TestChain.payload(TestChain.anchor("img-1"))));
      if (e.applied().size() != 1) {
        throw new IllegalStateException("the seeded chain did not anchor its image");
      }
      return chain;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<KeyFile> signers() {
    return List.of(
        CHAIN.hospital, CHAIN.otherHospital, CHAIN.auditor, CHAIN.admin, CHAIN.validators.get(0));
  }

  @FuzzTest
  void transaction(FuzzedDataProvider data) {
    boolean signHere = data.consumeBoolean();
    Transaction tx;
    if (signHere) {
      KeyFile key = signers().get(data.consumeInt(0, signers().size() - 1));
      boolean ourChain = data.consumeBoolean();
      Transaction body = parseOrNull(data.consumeRemainingAsBytes());
      if (body == null) {
        return;
      }
      Transaction.Builder b = body.toBuilder().setSigner(key.getEd25519PublicKey());
      if (ourChain) {
        b.setChainId(CHAIN.genesis.getChainId());
      }
      tx = TestChain.sign(b.build(), key);
    } else {
      tx = parseOrNull(data.consumeRemainingAsBytes());
      if (tx == null) {
        return; // refused at the door: gRPC or p2p could not parse it
      }
    }
    byte[] canonical = Canonical.bytes(tx);
    assertArrayEquals(canonical, Canonical.bytes(parseOrNull(canonical)), "canonical bytes moved");
    check(tx, TxCodec.hash(tx));
  }

  private static Transaction parseOrNull(byte[] bytes) {
    try {
      return Transaction.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  private static void check(Transaction tx, byte[] hash) {
    Refusal admission = admit(tx, hash);
    BlockExecutor.Execution block = execute(tx, hash, CHAIN.state);
    assertArrayEquals(
        block.stateHashAfter(),
        execute(tx, hash, CHAIN.state).stateHashAfter(),
        "execution is not deterministic");
    if (admission != null) {
      assertFalse(admission.message().isBlank());
      assertTrue(block.applied().isEmpty(), "executed what admission refused: " + admission);
      assertEquals(1, block.rejected().size());
      assertEquals(admission.code(), block.rejected().get(0).refusal().code());
      assertTrue(block.writes().entries().isEmpty(), "a refused transaction wrote state");
      return;
    }
    assertEquals(1, block.applied().size(), "refused what admission admitted: " + block.rejected());
    TreeMap<byte[], byte[]> after = new TreeMap<>(CHAIN.state.comparator());
    after.putAll(CHAIN.state);
    block
        .writes()
        .entries()
        .forEach(
            (k, v) -> {
              if (v == null) {
                after.remove(k);
              } else {
                after.put(k, v);
              }
            });
    BlockExecutor.Execution replay = execute(tx, hash, after);
    assertTrue(replay.applied().isEmpty(), "the same transaction applied twice");
  }

  /** The node's admission order (TxAdmission), with a fresh mempool. Null when admitted. */
  private static Refusal admit(Transaction tx, byte[] hash) {
    Refusal r =
        TxRules.checkStateless(tx, CHAIN.genesis.getChainId(), CHAIN.genesis.getConsensus());
    if (r == null) {
      r = TxRules.checkSignature(tx);
    }
    if (r != null) {
      return r;
    }
    LedgerView view = CHAIN.executor.view(CHAIN.state::get);
    r = TxRules.checkStateful(tx, view, CHAIN.height);
    if (r == null) {
      Mempool mempool = new Mempool(16, 64L << 20);
      r = mempool.add(tx, hash, view.lastNonce(tx.getSigner()));
      if (r == null) {
        assertNotNull(mempool.get(hash), "admitted but not pending");
      }
    }
    return r;
  }

  private static BlockExecutor.Execution execute(
      Transaction tx, byte[] hash, TreeMap<byte[], byte[]> state) {
    return CHAIN.executor.execute(
        List.of(tx),
        List.of(hash),
        state::get,
        CHAIN.height,
        CHAIN.stateHash,
        SignatureCheck.NONE_PREVERIFIED);
  }
}
