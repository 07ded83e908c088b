package io.prosima.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.node.client.NodeClient;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node whose consensus thread dies must stop, not keep serving as a zombie. */
class NodeFatalErrorTest {
  @TempDir Path dir;

  /** How long the test waits for the node to notice (the driver re-sends every second). */
  private static final long WAIT_MS = 30_000;

  @Test
  void aConsensusThreadThatDiesTakesTheNodeDownAndHealthSaysNotServing() throws Exception {
    GenesisBuilder.Result chain = TestChains.create(dir, 2);
    LedgerNode node =
        LedgerNode.start(
            NodeConfig.defaults(dir.resolve("validator-0")).withGrpcListen("127.0.0.1:0"));
    try (NodeClient auditor =
        new NodeClient(
            "127.0.0.1:" + node.grpcPort(), chain.clientKeys().get(2), chain.genesis())) {
      BlockingQueue<ServingStatus> seen = new LinkedBlockingQueue<>();
      HealthGrpc.newStub(auditor.channel())
          .watch(
              HealthCheckRequest.getDefaultInstance(),
              new StreamObserver<HealthCheckResponse>() {
                @Override
                public void onNext(HealthCheckResponse r) {
                  seen.add(r.getStatus());
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {}
              });
      assertEquals(ServingStatus.SERVING, seen.poll(WAIT_MS, TimeUnit.MILLISECONDS));

      // The failure of issue "Byzantine-proof consensus": a broadcast that throws (a block larger
      // than a p2p frame) on the consensus thread.
      node.consensus()
          .connect(
              body -> {
                throw new IllegalStateException("injected: message larger than a p2p frame");
              });

      assertEquals(ServingStatus.NOT_SERVING, seen.poll(WAIT_MS, TimeUnit.MILLISECONDS));
      Optional<Throwable> why = node.awaitStopped(WAIT_MS);
      assertTrue(node.isStopped(), "the node closed its services");
      assertTrue(why.orElseThrow().getMessage().contains("injected"), why.toString());
    } finally {
      node.close();
    }
  }
}
