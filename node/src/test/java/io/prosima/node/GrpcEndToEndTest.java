package io.prosima.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.prosima.genesis.GenesisBuilder;
import io.prosima.genesis.KeyGenerator;
import io.prosima.node.bench.AnchorTxFactory;
import io.prosima.node.client.NodeClient;
import io.prosima.node.client.TxProofVerifier;
import io.prosima.proto.v1.BlockResponse;
import io.prosima.proto.v1.GetBlockRequest;
import io.prosima.proto.v1.GetTxRequest;
import io.prosima.proto.v1.KeyFile;
import io.prosima.proto.v1.ListTxsByImageRequest;
import io.prosima.proto.v1.ListTxsBySignerRequest;
import io.prosima.proto.v1.RefusalCode;
import io.prosima.proto.v1.Role;
import io.prosima.proto.v1.StatusRequest;
import io.prosima.proto.v1.SubmitBatchRequest;
import io.prosima.proto.v1.SubmitBatchResponse;
import io.prosima.proto.v1.SubmitRequest;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.SubscribeBlocksRequest;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.TxResponse;
import io.prosima.proto.wire.BlockCodec;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real node in this JVM, reached over gRPC with mutual TLS, as a client would. */
class GrpcEndToEndTest {
  @TempDir Path dir;
  private GenesisBuilder.Result chain;
  private LedgerNode node;
  private NodeClient hospital;
  private NodeClient auditor;
  private AnchorTxFactory txs;
  private String address;

  @BeforeEach
  void start() throws Exception {
    chain = TestChains.create(dir, 2);
    node =
        LedgerNode.start(
            NodeConfig.defaults(dir.resolve("validator-0")).withGrpcListen("127.0.0.1:0"));
    address = "127.0.0.1:" + node.grpcPort();
    hospital = new NodeClient(address, chain.clientKeys().get(0), chain.genesis());
    auditor = new NodeClient(address, chain.clientKeys().get(2), chain.genesis());
    txs = new AnchorTxFactory(chain.genesis().getChainId());
  }

  @AfterEach
  void stop() {
    hospital.close();
    auditor.close();
    node.close();
  }

  private KeyFile hospitalKey() {
    return chain.clientKeys().get(0);
  }

  @Test
  void aCommittedTransactionComesBackWithAProofAnAuditorCanCheck() {
    Transaction tx = txs.anchorTx(hospitalKey(), 1, 100, "scan-1");
    SubmitResponse r =
        hospital
            .submit()
            .submit(SubmitRequest.newBuilder().setTx(tx).setWaitForCommit(true).build());
    assertTrue(r.getAccepted(), r.getMessage());
    assertTrue(r.getCommitted());
    // Height 1 unless the node committed an empty block first (it can, on a loaded machine).
    assertTrue(r.getHeight() >= 1, "height " + r.getHeight());

    TxResponse got =
        auditor.query().getTx(GetTxRequest.newBuilder().setTxHash(r.getTxHash()).build());
    assertEquals(tx, got.getTx());
    assertEquals(r.getHeight(), got.getHeader().getHeight());
    assertNull(TxProofVerifier.check(got, chain.genesis()));

    // Any tampering is caught offline.
    TxResponse otherTx = got.toBuilder().setTx(tx.toBuilder().setNonce(2)).build();
    assertNotNull(TxProofVerifier.check(otherTx, chain.genesis()));
    TxResponse otherRoot =
        got.toBuilder()
            .setHeader(got.getHeader().toBuilder().setTxRoot(ByteString.copyFrom(new byte[32])))
            .build();
    assertNotNull(TxProofVerifier.check(otherRoot, chain.genesis()));
    byte[] sig = got.getCommit().getSignatures(0).getSignature().toByteArray();
    sig[5] ^= 1;
    TxResponse forgedCommit =
        got.toBuilder()
            .setCommit(
                got.getCommit().toBuilder()
                    .setSignatures(
                        0,
                        got.getCommit().getSignatures(0).toBuilder()
                            .setSignature(ByteString.copyFrom(sig))))
            .build();
    assertTrue(TxProofVerifier.check(forgedCommit, chain.genesis()).contains("commit certificate"));
  }

  @Test
  void aBatchGetsOneVerdictPerTransactionInOrder() {
    List<Transaction> batch = new ArrayList<>();
    batch.add(txs.anchorTx(hospitalKey(), 1, 100, "a"));
    Transaction badSig = txs.anchorTx(hospitalKey(), 2, 100, "b").toBuilder().setNonce(3).build();
    batch.add(badSig);
    batch.add(txs.anchorTx(chain.clientKeys().get(2), 1, 100, "c")); // auditor may not anchor
    batch.add(txs.anchorTx(hospitalKey(), 4, 100, "a")); // same image again
    batch.add(txs.anchorTx(hospitalKey(), 5, 100, "d"));
    SubmitBatchResponse r =
        hospital
            .submit()
            .submitBatch(
                SubmitBatchRequest.newBuilder().addAllTxs(batch).setWaitForCommit(true).build());
    assertEquals(5, r.getResultsCount());
    assertTrue(r.getResults(0).getCommitted());
    assertEquals(RefusalCode.REFUSAL_BAD_SIGNATURE, r.getResults(1).getCode());
    assertEquals(RefusalCode.REFUSAL_ROLE_FORBIDDEN, r.getResults(2).getCode());
    // Admitted (nothing committed "a" yet), then refused at execution: the verdict still arrives.
    assertFalse(r.getResults(3).getAccepted());
    assertEquals(RefusalCode.REFUSAL_CONFLICT, r.getResults(3).getCode());
    assertTrue(r.getResults(4).getCommitted());

    // Resubmitting a committed transaction is refused as a duplicate.
    SubmitResponse again =
        hospital.submit().submit(SubmitRequest.newBuilder().setTx(batch.get(0)).build());
    assertEquals(RefusalCode.REFUSAL_DUPLICATE, again.getCode());
    assertTrue(again.getMessage().contains("already committed"));
  }

  @Test
  void indexesFindTransactionsByImageAndBySigner() {
    hospital
        .submit()
        .submitBatch(
            SubmitBatchRequest.newBuilder()
                .addTxs(txs.anchorTx(hospitalKey(), 1, 100, "scan-7"))
                .addTxs(txs.anchorTx(hospitalKey(), 2, 100, "scan-70"))
                .setWaitForCommit(true)
                .build());
    var byImage =
        auditor
            .query()
            .listTxsByImage(ListTxsByImageRequest.newBuilder().setImageId("scan-7").build());
    assertEquals(1, byImage.getTxsCount());
    assertEquals("scan-7", byImage.getTxs(0).getTx().getPayload().getImageAnchor().getImageId());
    var bySigner =
        auditor
            .query()
            .listTxsBySigner(
                ListTxsBySignerRequest.newBuilder()
                    .setSigner(hospitalKey().getEd25519PublicKey())
                    .setLimit(1)
                    .build());
    assertEquals(1, bySigner.getTxsCount());
    assertFalse(bySigner.getNextPageToken().isEmpty());
    var page2 =
        auditor
            .query()
            .listTxsBySigner(
                ListTxsBySignerRequest.newBuilder()
                    .setSigner(hospitalKey().getEd25519PublicKey())
                    .setLimit(1)
                    .setPageToken(bySigner.getNextPageToken())
                    .build());
    assertEquals(1, page2.getTxsCount());
    assertTrue(page2.getNextPageToken().isEmpty());
  }

  @Test
  void theBlockStreamDeliversStoredAndNewBlocksInOrder() {
    hospital
        .submit()
        .submit(
            SubmitRequest.newBuilder()
                .setTx(txs.anchorTx(hospitalKey(), 1, 100, "s1"))
                .setWaitForCommit(true)
                .build());
    Iterator<BlockResponse> stream =
        auditor
            .query()
            .withDeadlineAfter(20, java.util.concurrent.TimeUnit.SECONDS)
            .subscribeBlocks(SubscribeBlocksRequest.newBuilder().setFromHeight(1).build());
    BlockResponse first = stream.next();
    assertEquals(1, first.getBlock().getHeader().getHeight());
    hospital
        .submit()
        .submit(
            SubmitRequest.newBuilder().setTx(txs.anchorTx(hospitalKey(), 2, 100, "s2")).build());
    BlockResponse second = stream.next();
    assertEquals(2, second.getBlock().getHeader().getHeight());
    assertArrayEquals(
        first.getBlockId().toByteArray(),
        second.getBlock().getHeader().getPreviousHash().toByteArray());
    assertEquals(first.getCommit(), second.getBlock().getHeader().getLastCommit());
    assertArrayEquals(
        BlockCodec.blockId(second.getBlock().getHeader()), second.getBlockId().toByteArray());
  }

  @Test
  void badQueriesGetClearStatuses() {
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                auditor
                    .query()
                    .getTx(
                        GetTxRequest.newBuilder()
                            .setTxHash(ByteString.copyFrom(new byte[3]))
                            .build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                auditor
                    .query()
                    .getTx(
                        GetTxRequest.newBuilder()
                            .setTxHash(ByteString.copyFrom(new byte[32]))
                            .build()));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    e =
        assertThrows(
            StatusRuntimeException.class,
            () -> auditor.query().getBlock(GetBlockRequest.newBuilder().setHeight(99).build()));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    e =
        assertThrows(
            StatusRuntimeException.class,
            () -> hospital.submit().submitBatch(SubmitBatchRequest.getDefaultInstance()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
  }

  @Test
  void aClientWhoseKeyIsNotInGenesisIsRefusedAtTheHandshake() throws Exception {
    KeyFile stranger =
        KeyGenerator.newKey("stranger", Role.ROLE_AUDITOR, false, new SecureRandom());
    try (NodeClient client = new NodeClient(address, stranger, chain.genesis())) {
      assertHandshakeRefused(client);
    }
  }

  /** A refused TLS handshake surfaces as UNAVAILABLE on the first call. */
  private static void assertHandshakeRefused(NodeClient client) {
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                client
                    .query()
                    .withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
                    .getStatus(StatusRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
  }

  @Test
  void aServerWhoseKeyIsNotAGenesisValidatorIsNotTrusted() throws Exception {
    // The client trusts only validators of *its* genesis: another chain's node is refused.
    GenesisBuilder.Result other = new GenesisBuilder().validators(1).build(new SecureRandom());
    try (NodeClient client = new NodeClient(address, hospitalKey(), other.genesis())) {
      assertHandshakeRefused(client);
    }
  }

  @Test
  void healthAndStatusAnswer() {
    HealthCheckResponse health =
        HealthGrpc.newBlockingStub(auditor.channel())
            .check(HealthCheckRequest.getDefaultInstance());
    assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus());
    var status = auditor.query().getStatus(StatusRequest.getDefaultInstance());
    assertEquals("test-chain", status.getChainId());
    assertEquals(chain.genesis().getValidators(0).getPublicKey(), status.getNodeKey());
  }
}
