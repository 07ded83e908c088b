package io.prosima.testnet.launch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prosima.node.bench.AnchorTxFactory;
import io.prosima.node.client.NodeClient;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.RefusalCode;
import io.prosima.proto.v1.StatusRequest;
import io.prosima.proto.v1.StatusResponse;
import io.prosima.proto.v1.SubmitBatchRequest;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.Transaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A validator flooded with more ImageAnchors than its heap can hold refuses them as MEMPOOL_FULL
 * and keeps answering; it does not run out of memory. The mempool's byte limit used to be a flat
 * 512 MiB of wire bytes, about 1.2 GiB once parsed: a flooded validator with a 1 GiB heap failed
 * its gRPC calls with "UNKNOWN: Application error processing RPC" (the crash of {@code bench
 * testnet} during warm-up). One validator of four runs, so nothing commits and the mempool only
 * fills: no timing is involved.
 */
class FloodedValidatorMemoryTest {
  static final String HEAP = "-Xmx96m";

  /** More than a 96 MiB heap holds as parsed anchors (about 4.4 KB each). */
  static final int TXS_MAX = 30_000;

  static final int BATCH = 1_000;

  @TempDir Path dir;

  @Test
  void aFloodedValidatorRefusesWhatItCannotHoldAndKeepsAnswering() throws Exception {
    LocalTestnet net = LocalTestnet.create(dir.resolve("net"), 4, 2, LocalTestnet.freeBasePort(4));
    net.setJvmOptions(List.of(HEAP));
    try {
      net.start(0);
      AnchorTxFactory factory = new AnchorTxFactory(net.genesis().getChainId());
      KeyFile signer = net.clientKey("hospital-0");
      try (NodeClient c = net.client(0, "hospital-0")) {
        await("validator-0 answers")
            .atMost(Duration.ofSeconds(90))
            .ignoreExceptions()
            .until(() -> c.query().getStatus(StatusRequest.getDefaultInstance()) != null);
        boolean full = false;
        long nonce = 0;
        while (!full && nonce < TXS_MAX) {
          List<Transaction> batch = new ArrayList<>();
          for (int i = 0; i < BATCH; i++) {
            nonce++;
            batch.add(factory.anchorTx(signer, nonce, 1_000, "flood-" + nonce));
          }
          var r =
              c.submit()
                  .withDeadlineAfter(120, TimeUnit.SECONDS)
                  .submitBatch(SubmitBatchRequest.newBuilder().addAllTxs(batch).build());
          for (SubmitResponse sr : r.getResultsList()) {
            full |= sr.getCode() == RefusalCode.REFUSAL_MEMPOOL_FULL;
          }
        }
        assertTrue(full, "the mempool never said it was full after " + nonce + " anchors");
        StatusResponse status = c.query().getStatus(StatusRequest.getDefaultInstance());
        assertTrue(status.getMempoolTxs() > BATCH, status.toString());
      }
      assertTrue(net.running(0).isPresent(), "validator-0 exited");
      String log = Files.readString(net.log(0));
      assertFalse(log.contains("OutOfMemoryError"), "validator-0 ran out of memory");
    } finally {
      net.stopAll();
    }
  }
}
