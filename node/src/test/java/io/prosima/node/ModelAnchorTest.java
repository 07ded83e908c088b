package io.prosima.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.imaging.model.AnchoredModel;
import io.prosima.imaging.model.ModelExport;
import io.prosima.node.client.NodeClient;
import io.prosima.node.models.ModelAnchors;
import io.prosima.proto.v1.GetModelRequest;
import io.prosima.proto.v1.RefusalCode;
import io.prosima.proto.v1.SubmitRequest;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.Transaction;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PROSIMA protocol 1: the shipped models' weight hashes go on chain and can be read back. */
class ModelAnchorTest {
  @TempDir Path dir;
  static final Path SHIPPED = Path.of("..", "imaging", "models");

  @Test
  void theShippedModelsAreAnchoredWithTheirWeightHashesAndGNeedsEFirst() throws Exception {
    GenesisBuilder.Result chain = TestChains.create(dir, 1);
    try (LedgerNode node =
            LedgerNode.start(
                NodeConfig.defaults(dir.resolve("validator-0")).withGrpcListen("127.0.0.1:0"));
        NodeClient client =
            new NodeClient(
                "127.0.0.1:" + node.grpcPort(), chain.clientKeys().get(0), chain.genesis())) {
      List<Transaction> txs =
          ModelAnchors.anchorTxs(SHIPPED, "7", "test-chain", chain.clientKeys().get(0), 100);
      SubmitResponse generatorFirst =
          client.submit().submit(SubmitRequest.newBuilder().setTx(txs.get(1)).build());
      assertEquals(RefusalCode.REFUSAL_NOT_FOUND, generatorFirst.getCode());

      for (Transaction tx : txs) {
        SubmitResponse r =
            client
                .submit()
                .submit(SubmitRequest.newBuilder().setTx(tx).setWaitForCommit(true).build());
        assertTrue(r.getCommitted(), r.getMessage());
      }
      var generator =
          client
              .query()
              .getModel(
                  GetModelRequest.newBuilder()
                      .setModelId(ModelAnchors.GENERATOR_ID)
                      .setVersion("7")
                      .build());
      assertArrayEquals(
          AnchoredModel.weightsSha256(SHIPPED.resolve(ModelExport.GENERATOR_DIR)),
          generator.getWeightsSha256().toByteArray());
      assertEquals(chain.clientKeys().get(0).getEd25519PublicKey(), generator.getOwner());
      assertTrue(txs.get(1).getPayload().getModelAnchor().getMetricsCount() > 0);

      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  client
                      .query()
                      .getModel(
                          GetModelRequest.newBuilder()
                              .setModelId(ModelAnchors.GENERATOR_ID)
                              .setVersion("8")
                              .build()));
      assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    }
  }
}
