package io.prosima.node.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.prosima.consensus.execution.Refusal;
import io.prosima.node.ledger.CommitHub;
import io.prosima.node.ledger.TxAdmission;
import io.prosima.node.ledger.TxOutcome;
import io.prosima.proto.v1.RefusalCode;
import io.prosima.proto.v1.SubmitBatchRequest;
import io.prosima.proto.v1.SubmitBatchResponse;
import io.prosima.proto.v1.SubmitRequest;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.v1.TxSubmitGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Transaction submission: each transaction is admitted or refused with its exact reason. */
final class TxSubmitService extends TxSubmitGrpc.TxSubmitImplBase {
  private final TxAdmission admission;
  private final CommitHub hub;
  private final int batchTxsMax;
  private final long commitWaitMs;

  TxSubmitService(TxAdmission admission, CommitHub hub, int batchTxsMax, long commitWaitMs) {
    this.admission = admission;
    this.hub = hub;
    this.batchTxsMax = batchTxsMax;
    this.commitWaitMs = commitWaitMs;
  }

  @Override
  public void submit(SubmitRequest request, StreamObserver<SubmitResponse> out) {
    handle(
        List.of(request.getTx()),
        request.getWaitForCommit(),
        results -> {
          out.onNext(results.get(0));
          out.onCompleted();
        });
  }

  @Override
  public void submitBatch(SubmitBatchRequest request, StreamObserver<SubmitBatchResponse> out) {
    if (request.getTxsCount() == 0 || request.getTxsCount() > batchTxsMax) {
      out.onError(
          Status.INVALID_ARGUMENT
              .withDescription("a batch holds 1.." + batchTxsMax + " transactions")
              .asRuntimeException());
      return;
    }
    handle(
        request.getTxsList(),
        request.getWaitForCommit(),
        results -> {
          out.onNext(SubmitBatchResponse.newBuilder().addAllResults(results).build());
          out.onCompleted();
        });
  }

  private void handle(
      List<Transaction> txs,
      boolean wait,
      java.util.function.Consumer<List<SubmitResponse>> reply) {
    byte[][] hashes = admission.hashAll(txs);
    List<CompletableFuture<TxOutcome>> waits = new ArrayList<>();
    if (wait) {
      // Registered before admission: a commit that happens right after cannot be missed.
      for (byte[] h : hashes) {
        waits.add(hub.register(h));
      }
    }
    TxAdmission.Admitted admitted = admission.admit(txs, hashes);
    List<SubmitResponse.Builder> results = new ArrayList<>(txs.size());
    for (int i = 0; i < txs.size(); i++) {
      Refusal r = admitted.refusals()[i];
      SubmitResponse.Builder b =
          SubmitResponse.newBuilder().setTxHash(ByteString.copyFrom(hashes[i]));
      if (r == null) {
        b.setAccepted(true).setCode(RefusalCode.REFUSAL_NONE);
      } else {
        b.setAccepted(false).setCode(r.code()).setMessage(r.message());
        if (wait) {
          hub.unregister(hashes[i]);
        }
      }
      results.add(b);
    }
    if (!wait) {
      reply.accept(build(results));
      return;
    }
    List<CompletableFuture<TxOutcome>> pending = new ArrayList<>();
    for (int i = 0; i < txs.size(); i++) {
      if (results.get(i).getAccepted()) {
        pending.add(waits.get(i));
      }
    }
    CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]))
        .orTimeout(commitWaitMs, TimeUnit.MILLISECONDS)
        .whenComplete(
            (ok, timeout) -> {
              for (int i = 0; i < txs.size(); i++) {
                SubmitResponse.Builder b = results.get(i);
                if (!b.getAccepted()) {
                  continue;
                }
                CompletableFuture<TxOutcome> f = waits.get(i);
                if (!f.isDone()) {
                  // Still pending: answer without a verdict, the tx may commit later.
                  hub.unregister(hashes[i]);
                  continue;
                }
                TxOutcome outcome = f.join();
                if (outcome.isCommitted()) {
                  b.setCommitted(true).setHeight(outcome.height());
                } else {
                  b.setAccepted(false)
                      .setCode(outcome.refusal().code())
                      .setMessage(outcome.refusal().message());
                }
              }
              reply.accept(build(results));
            });
  }

  private static List<SubmitResponse> build(List<SubmitResponse.Builder> builders) {
    List<SubmitResponse> out = new ArrayList<>(builders.size());
    for (SubmitResponse.Builder b : builders) {
      out.add(b.build());
    }
    return out;
  }
}
