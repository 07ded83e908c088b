package io.prosima.node.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.node.bench.AnchorTxFactory;
import io.prosima.node.client.NodeClient;
import io.prosima.node.tls.TlsContexts;
import io.prosima.proto.v1.RefusalCode;
import io.prosima.proto.v1.SubmitBatchRequest;
import io.prosima.proto.v1.SubmitBatchResponse;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.TxSubmitGrpc;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ingest pipeline sends again, in nonce order, what a busy node refused. */
class GroupCommitterBusyTest {
  /** A node that is busy for its first calls: it takes two txs of each, refuses the rest. */
  private static final class BusyNode extends TxSubmitGrpc.TxSubmitImplBase {
    int busyCalls;
    final List<List<Long>> noncesPerCall = new ArrayList<>();

    @Override
    public synchronized void submitBatch(
        SubmitBatchRequest request, StreamObserver<SubmitBatchResponse> out) {
      List<Long> nonces = new ArrayList<>();
      SubmitBatchResponse.Builder r = SubmitBatchResponse.newBuilder();
      for (int i = 0; i < request.getTxsCount(); i++) {
        nonces.add(request.getTxs(i).getNonce());
        if (busyCalls > 0 && i >= 2) {
          r.addResults(
              SubmitResponse.newBuilder()
                  .setCode(RefusalCode.REFUSAL_MEMPOOL_FULL)
                  .setMessage("node is busy; retry later"));
        } else {
          r.addResults(
              SubmitResponse.newBuilder()
                  .setAccepted(true)
                  .setCommitted(true)
                  .setHeight(noncesPerCall.size() + 1));
        }
      }
      busyCalls--;
      noncesPerCall.add(nonces);
      out.onNext(r.build());
      out.onCompleted();
    }
  }

  private GenesisBuilder.Result chain;
  private Server server;
  private NodeClient client;
  private final BusyNode node = new BusyNode();

  @BeforeEach
  void start() throws Exception {
    chain =
        new GenesisBuilder()
            .chainId("busy")
            .validators(1)
            .regions(1)
            .clients(1, 1, 1)
            .basePort(20_000)
            .build(new SecureRandom());
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(TlsContexts.server(chain.validatorKeys().get(0), key -> true))
            .addService(node)
            .build()
            .start();
    client =
        new NodeClient("127.0.0.1:" + server.getPort(), chain.clientKeys().get(0), chain.genesis());
  }

  @AfterEach
  void stop() {
    client.close();
    server.shutdownNow();
  }

  @Test
  void theRefusedTailIsSentAgainUntilEveryTxCommits() throws Exception {
    node.busyCalls = 2;
    AnchorTxFactory factory = new AnchorTxFactory(chain.genesis().getChainId());
    List<Transaction> txs = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      txs.add(factory.anchorTx(chain.clientKeys().get(0), i, 100, "scan-" + i));
    }

    List<SubmitResponse> results = GroupCommitter.submitWhileBusy(client, txs);

    assertEquals(6, results.size());
    assertTrue(results.stream().allMatch(SubmitResponse::getCommitted));
    // Each call resumes at the first refused tx: nonces stay in order, nothing is sent twice
    // after it was taken.
    assertEquals(
        List.of(List.of(1L, 2L, 3L, 4L, 5L, 6L), List.of(3L, 4L, 5L, 6L), List.of(5L, 6L)),
        node.noncesPerCall);
  }
}
