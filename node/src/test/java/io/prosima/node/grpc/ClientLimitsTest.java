package io.prosima.node.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.node.LedgerNode;
import io.prosima.node.NodeConfig;
import io.prosima.node.TestChains;
import io.prosima.node.bench.AnchorTxFactory;
import io.prosima.node.client.NodeClient;
import io.prosima.proto.v1.BlockResponse;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.ListTxsByImageRequest;
import io.prosima.proto.v1.ListTxsBySignerRequest;
import io.prosima.proto.v1.StatusRequest;
import io.prosima.proto.v1.SubmitBatchRequest;
import io.prosima.proto.v1.SubscribeBlocksRequest;
import io.prosima.storage.RocksDbLedgerStore;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What one client can make the node hold: message sizes, queued stream data, parsed blocks. */
class ClientLimitsTest {
  /** How long a test waits for something that should happen in well under a second. */
  private static final long WAIT_MS = 20_000;

  @TempDir Path dir;
  private GenesisBuilder.Result chain;
  private LedgerNode node;
  private NodeClient hospital;
  private AnchorTxFactory txs;

  @BeforeEach
  void start() throws Exception {
    chain = TestChains.create(dir, 2);
    node =
        LedgerNode.start(
            NodeConfig.defaults(dir.resolve("validator-0")).withGrpcListen("127.0.0.1:0"));
    hospital = new NodeClient("127.0.0.1:" + node.grpcPort(), hospitalKey(), chain.genesis());
    txs = new AnchorTxFactory(chain.genesis().getChainId());
  }

  @AfterEach
  void stop() {
    hospital.close();
    node.close();
  }

  private KeyFile hospitalKey() {
    return chain.clientKeys().get(0);
  }

  /** Commits {@code n} blocks of one anchor each. */
  private void commitBlocks(int n) {
    for (int i = 1; i <= n; i++) {
      hospital
          .submit()
          .submitBatch(
              SubmitBatchRequest.newBuilder()
                  .addTxs(txs.anchorTx(hospitalKey(), i, 100, "scan-" + i))
                  .setWaitForCommit(true)
                  .build());
    }
  }

  /** A SubmitBatch no honest client needs: far above any batch of real transactions. */
  private static final int OVERSIZED_REQUEST_BYTES = 20 << 20;

  @Test
  void aRequestLargerThanTheInboundLimitIsRefusedWithResourceExhausted() {
    assertTrue(OVERSIZED_REQUEST_BYTES > GrpcServer.INBOUND_MESSAGE_BYTES_MAX);
    var tx =
        txs.anchorTx(hospitalKey(), 1, 100, "big").toBuilder()
            .setSignature(ByteString.copyFrom(new byte[OVERSIZED_REQUEST_BYTES]))
            .build();
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                hospital.submit().submitBatch(SubmitBatchRequest.newBuilder().addTxs(tx).build()));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
  }

  @Test
  void statusAndTxListingsAnswerWithoutParsingAWholeBlock() {
    commitBlocks(2);
    RocksDbLedgerStore store = (RocksDbLedgerStore) node.core().store();
    long parsed = store.blocksParsed();
    NodeClient auditor = hospital; // the signer may list its own txs
    var status = auditor.query().getStatus(StatusRequest.getDefaultInstance());
    assertTrue(status.getLastBlockTimeMs() > 0);
    var bySigner =
        auditor
            .query()
            .listTxsBySigner(
                ListTxsBySignerRequest.newBuilder()
                    .setSigner(hospitalKey().getEd25519PublicKey())
                    .build());
    assertEquals(2, bySigner.getTxsCount());
    assertEquals("scan-2", bySigner.getTxs(1).getTx().getPayload().getImageAnchor().getImageId());
    var byImage =
        auditor
            .query()
            .listTxsByImage(ListTxsByImageRequest.newBuilder().setImageId("scan-1").build());
    assertEquals(1, byImage.getTxsCount());
    assertEquals(parsed, store.blocksParsed(), "blocks parsed to answer status and listings");
  }

  @Test
  void aSubscriberThatNeverReadsIsEndedAndTheServerKeepsServingOthers() throws Exception {
    commitBlocks(3);
    ExecutorService threads = Executors.newCachedThreadPool();
    try {
      // One stream slot: the stalled stream must give it back.
      var service =
          new LedgerQueryService(node.core(), ByteString.copyFrom(new byte[32]), threads, 1, 200);
      FakeStream stalled = new FakeStream(false);
      service.subscribeBlocks(
          SubscribeBlocksRequest.newBuilder().setFromHeight(1).build(), stalled);
      assertTrue(stalled.ended.await(WAIT_MS, TimeUnit.MILLISECONDS), "stalled stream ended");
      assertEquals(0, stalled.sent.get(), "blocks queued for a reader that never reads");
      assertNotNull(stalled.error.get());
      assertEquals(
          Status.Code.RESOURCE_EXHAUSTED, Status.fromThrowable(stalled.error.get()).getCode());

      FakeStream reader = new FakeStream(true);
      service.subscribeBlocks(SubscribeBlocksRequest.newBuilder().setFromHeight(1).build(), reader);
      long deadline = System.currentTimeMillis() + WAIT_MS;
      while (reader.sent.get() < 3 && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(null, reader.error.get(), "a reading subscriber is not refused");
      // At least the 3 committed before it subscribed (an empty block may have followed since).
      assertTrue(reader.sent.get() >= 3, "a reading subscriber gets every block: " + reader.sent);
      reader.cancelled = true;
    } finally {
      threads.shutdownNow();
    }
  }

  /** A server call whose client is ready (reads) or never ready (never reads). */
  private static final class FakeStream extends ServerCallStreamObserver<BlockResponse> {
    private final boolean ready;
    final AtomicInteger sent = new AtomicInteger();
    final AtomicReference<Throwable> error = new AtomicReference<>();
    final CountDownLatch ended = new CountDownLatch(1);
    volatile boolean cancelled;

    FakeStream(boolean ready) {
      this.ready = ready;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public void setOnCancelHandler(Runnable onCancelHandler) {}

    @Override
    public void setCompression(String compression) {}

    @Override
    public boolean isReady() {
      return ready;
    }

    @Override
    public void setOnReadyHandler(Runnable onReadyHandler) {}

    @Override
    public void disableAutoInboundFlowControl() {}

    @Override
    public void request(int count) {}

    @Override
    public void setMessageCompression(boolean enable) {}

    @Override
    public void onNext(BlockResponse value) {
      sent.incrementAndGet();
    }

    @Override
    public void onError(Throwable t) {
      error.set(t);
      ended.countDown();
    }

    @Override
    public void onCompleted() {
      ended.countDown();
    }
  }
}
