package io.prosima.node.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.consensus.execution.Refusal;
import io.prosima.consensus.mempool.Mempool;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.node.bench.AnchorTxFactory;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.RefusalCode;
import io.prosima.proto.v1.Transaction;
import io.prosima.storage.RocksDbLedgerStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A busy node refuses clients' transactions before checking them; peers' gossip still goes in. */
class TxAdmissionBackpressureTest {
  /** The smallest block the genesis allows: one block's worth is a few dozen anchors. */
  private static final long BLOCK_BYTES = GenesisBuilder.DEFAULT_TX_BYTES_MAX;

  @TempDir Path dir;
  private GenesisBuilder.Result chain;
  private RocksDbLedgerStore store;
  private LedgerCore core;
  private TxAdmission admission;
  private AnchorTxFactory factory;

  @BeforeEach
  void open() throws Exception {
    chain =
        new GenesisBuilder()
            .chainId("backpressure")
            .validators(1)
            .regions(1)
            .clients(2, 1, 1)
            .basePort(20_000)
            .blockBytesMax(BLOCK_BYTES)
            .build(new SecureRandom());
    store = RocksDbLedgerStore.open(dir.resolve("ledger"));
    core = new LedgerCore(chain.genesis(), store, new Mempool(100_000, 256L << 20));
    admission = new TxAdmission(core, 2, 1);
    factory = new AnchorTxFactory(chain.genesis().getChainId());
  }

  @AfterEach
  void close() {
    admission.close();
    store.close();
  }

  private List<Transaction> anchors(KeyFile key, int from, int count) {
    List<Transaction> txs = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      txs.add(factory.anchorTx(key, i, 1_000, "scan-" + key.getName() + "-" + i));
    }
    return txs;
  }

  private TxAdmission.Admitted admitFromClient(List<Transaction> txs) {
    return admission.admit(txs, admission.hashAll(txs));
  }

  /** How many transactions of one block's bytes fit, counted the way the bound counts them. */
  private static int fitting(List<Transaction> txs) {
    long bytes = 0;
    int n = 0;
    for (Transaction tx : txs) {
      bytes += tx.getSerializedSize();
      if (bytes > BLOCK_BYTES) {
        return n;
      }
      n++;
    }
    return n;
  }

  @Test
  void aClientBatchPastTheBoundIsAdmittedUpToItAndTheRestRefusedAsBusy() {
    KeyFile hospital = chain.clientKeys().get(0);
    List<Transaction> txs = anchors(hospital, 1, 60);
    int fit = fitting(txs);
    assertTrue(fit > 10 && fit < 60, "one block's worth of anchors: " + fit);

    TxAdmission.Admitted r = admitFromClient(txs);

    for (int i = 0; i < fit; i++) {
      assertNull(r.refusals()[i], "tx " + i + " fits under the bound");
    }
    for (int i = fit; i < txs.size(); i++) {
      assertEquals(RefusalCode.REFUSAL_MEMPOOL_FULL, r.refusals()[i].code(), "tx " + i);
      assertTrue(r.refusals()[i].message().contains("retry"), r.refusals()[i].message());
    }
    assertEquals(fit, core.mempoolSize());
  }

  @Test
  void whileBusyAClientTxIsRefusedBeforeItsSignatureIsChecked() {
    KeyFile hospital = chain.clientKeys().get(0);
    List<Transaction> fill = anchors(hospital, 1, 60);
    admitFromClient(fill);
    Transaction next = anchors(hospital, 61, 1).get(0);
    Transaction forged = next.toBuilder().setSignature(ByteString.copyFrom(new byte[64])).build();

    Refusal refusal = admitFromClient(List.of(forged)).refusals()[0];

    // A busy node spends nothing on it: not even the signature check that would refuse it.
    assertEquals(RefusalCode.REFUSAL_MEMPOOL_FULL, refusal.code());
  }

  @Test
  void theRefusedTailIsAdmittedWhenSentAgainAfterTheMempoolDrains() {
    KeyFile hospital = chain.clientKeys().get(0);
    List<Transaction> txs = anchors(hospital, 1, 60);
    int fit = fitting(txs);
    admitFromClient(txs);
    List<byte[]> taken = new ArrayList<>();
    synchronized (core.lock) {
      core.mempool.peek(fit, Long.MAX_VALUE).forEach(e -> taken.add(e.hash()));
      core.mempool.remove(taken); // as a commit would
    }

    List<Transaction> rest = txs.subList(fit, txs.size());
    TxAdmission.Admitted again = admitFromClient(rest);

    // Nonces still rise: the refused tail was never taken, so it goes in as it was signed.
    int secondFit = fitting(rest);
    for (int i = 0; i < secondFit; i++) {
      assertNull(again.refusals()[i], "tx " + (fit + i));
    }
  }

  @Test
  void gossipAndTheNodesOwnEvidenceAreNotHeldBackByTheClientBound() {
    KeyFile hospital = chain.clientKeys().get(0);
    KeyFile other = chain.clientKeys().get(1);
    admitFromClient(anchors(hospital, 1, 60));
    int before = core.mempoolSize();

    TxAdmission.Admitted fromPeer = admission.admitFromPeer(anchors(other, 1, 5));
    TxAdmission.Admitted own = admission.admitOwn(anchors(other, 6, 1));

    for (Refusal r : fromPeer.refusals()) {
      assertNull(r, "a peer's gossip carries txs another validator admitted");
    }
    assertNull(own.refusals()[0]);
    assertEquals(before + 6, core.mempoolSize());
  }
}
