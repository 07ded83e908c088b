package io.prosima.node.federation;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.prosima.node.client.NodeClient;
import io.prosima.node.client.TxProofVerifier;
import io.prosima.node.client.TxSigner;
import io.prosima.node.image.ChainNodes;
import io.prosima.proto.v1.FragmentRef;
import io.prosima.proto.v1.GetFragmentsRequest;
import io.prosima.proto.v1.GetFragmentsResponse;
import io.prosima.proto.v1.GetModelRequest;
import io.prosima.proto.v1.GetTxRequest;
import io.prosima.proto.v1.ModelAnchor;
import io.prosima.proto.v1.ModelRecord;
import io.prosima.proto.v1.Payload;
import io.prosima.proto.v1.PutFragmentsRequest;
import io.prosima.proto.v1.StatusRequest;
import io.prosima.proto.v1.StoredFragment;
import io.prosima.proto.v1.SubmitRequest;
import io.prosima.proto.v1.SubmitResponse;
import io.prosima.proto.v1.TxResponse;
import io.prosima.proto.v1.Validator;
import java.io.ByteArrayOutputStream;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A federated party's view of the chain: anchors read with their inclusion proofs checked, anchors
 * submitted, and sealed weight blobs put to and fetched from the validators' fragment stores over
 * the same mutual TLS as everything else.
 */
public final class FederationChain implements Lineage.Chain {
  /** Fragment bytes per chunk of a sealed blob (the fragment store's limit). */
  static final int CHUNK_BYTES = 1 << 20;

  /** Chunks per blob: one Get (64 refs) fetches a whole blob. */
  static final int CHUNKS_MAX = 64;

  static final long SUBMIT_DEADLINE_S = 60;

  private final ChainNodes nodes;
  private final NodeClient via;

  public FederationChain(ChainNodes nodes, NodeClient via) {
    this.nodes = nodes;
    this.via = via;
  }

  public ChainNodes nodes() {
    return nodes;
  }

  public long height() {
    return via.query().getStatus(StatusRequest.getDefaultInstance()).getHeight();
  }

  public Optional<ModelRecord> record(String ref) {
    int at = ref.indexOf('@');
    if (at < 1) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          via.query()
              .getModel(
                  GetModelRequest.newBuilder()
                      .setModelId(ref.substring(0, at))
                      .setVersion(ref.substring(at + 1))
                      .build()));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * The anchor of {@code ref} read from its transaction, whose inclusion proof and commit
   * certificate are checked against the genesis validators (the auditor's query: GetModel, then
   * GetTx).
   */
  @Override
  public Optional<Lineage.Anchored> anchor(String ref) {
    Optional<ModelRecord> r = record(ref);
    if (r.isEmpty()) {
      return Optional.empty();
    }
    TxResponse tx =
        via.query().getTx(GetTxRequest.newBuilder().setTxHash(r.get().getTxHash()).build());
    String problem = TxProofVerifier.check(tx, nodes.genesis());
    if (problem != null) {
      throw new IllegalStateException("the anchor of " + ref + " does not verify: " + problem);
    }
    if (!tx.getTx().getPayload().hasModelAnchor()) {
      throw new IllegalStateException("the transaction of " + ref + " is not a model anchor");
    }
    return Optional.of(
        new Lineage.Anchored(
            tx.getTx().getPayload().getModelAnchor(), tx.getHeight(), tx.getTx().getSigner()));
  }

  /** The Ed25519 key that anchored {@code ref}. */
  public Optional<ByteString> owner(String ref) {
    return record(ref).map(ModelRecord::getOwner);
  }

  /** Submits an anchor and waits for its commit; returns the height or throws with the refusal. */
  public long submit(ModelAnchor anchor) {
    long nonce = System.currentTimeMillis() * 1000;
    var tx =
        TxSigner.sign(
            nodes.chainId(),
            nodes.key(),
            nonce,
            height() + 100,
            Payload.newBuilder().setModelAnchor(anchor).build());
    SubmitResponse s =
        via.submit()
            .withDeadlineAfter(SUBMIT_DEADLINE_S, TimeUnit.SECONDS)
            .submit(SubmitRequest.newBuilder().setTx(tx).setWaitForCommit(true).build());
    if (!s.getCommitted()) {
      throw new IllegalStateException(
          "anchor of "
              + anchor.getModelId()
              + "@"
              + anchor.getVersion()
              + " refused: "
              + s.getCode()
              + " "
              + s.getMessage());
    }
    return s.getHeight();
  }

  /** Stores a sealed blob on every validator that takes it; returns how many did (at least 1). */
  public int put(String blobId, byte[] sealed) {
    int chunks = (sealed.length + CHUNK_BYTES - 1) / CHUNK_BYTES;
    if (chunks < 1 || chunks > CHUNKS_MAX) {
      throw new IllegalArgumentException("sealed blob of " + sealed.length + " bytes is too large");
    }
    PutFragmentsRequest.Builder put = PutFragmentsRequest.newBuilder().setImageId(blobId);
    for (int i = 0; i < chunks; i++) {
      int from = i * CHUNK_BYTES;
      put.addFragments(
          StoredFragment.newBuilder()
              .setTileIndex(i)
              .setFragmentIndex(0)
              .setData(
                  ByteString.copyFrom(sealed, from, Math.min(CHUNK_BYTES, sealed.length - from))));
    }
    PutFragmentsRequest request = put.build();
    int stored = 0;
    StatusRuntimeException last = null;
    for (Validator v : nodes.genesis().getValidatorsList()) {
      try {
        nodes.fragments(v.getPublicKey()).put(request);
        stored++;
      } catch (StatusRuntimeException e) {
        last = e;
      }
    }
    if (stored == 0) {
      throw new IllegalStateException(
          "no validator stored " + blobId + ": " + (last == null ? "none" : last.getStatus()));
    }
    return stored;
  }

  /**
   * The first copy of the sealed blob {@code blobId} that {@code accept} takes (it opens the blob
   * and checks its hash against the anchor: the bytes are untrusted), trying each validator.
   */
  public <T> Optional<T> get(
      String blobId, java.util.function.Function<byte[], Optional<T>> accept) {
    GetFragmentsRequest.Builder get = GetFragmentsRequest.newBuilder().setImageId(blobId);
    for (int i = 0; i < CHUNKS_MAX; i++) {
      get.addRefs(FragmentRef.newBuilder().setTileIndex(i).setFragmentIndex(0));
    }
    GetFragmentsRequest request = get.build();
    for (Validator v : nodes.genesis().getValidatorsList()) {
      GetFragmentsResponse r;
      try {
        r = nodes.fragments(v.getPublicKey()).get(request);
      } catch (StatusRuntimeException e) {
        continue;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      boolean contiguous = r.getFragmentsCount() > 0;
      for (int i = 0; i < r.getFragmentsCount(); i++) {
        StoredFragment f = r.getFragments(i);
        if (f.getTileIndex() != i) {
          contiguous = false;
          break;
        }
        out.writeBytes(f.getData().toByteArray());
      }
      if (contiguous) {
        Optional<T> accepted = accept.apply(out.toByteArray());
        if (accepted.isPresent()) {
          return accepted;
        }
      }
    }
    return Optional.empty();
  }
}
