package io.prosima.node.fragments;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.prosima.node.grpc.PeerIdentityInterceptor;
import io.prosima.proto.v1.FragmentRef;
import io.prosima.proto.v1.FragmentServiceGrpc;
import io.prosima.proto.v1.GetFragmentsRequest;
import io.prosima.proto.v1.GetFragmentsResponse;
import io.prosima.proto.v1.ImageRecord;
import io.prosima.proto.v1.PutFragmentsRequest;
import io.prosima.proto.v1.PutFragmentsResponse;
import io.prosima.proto.v1.StoredFragment;
import io.prosima.proto.wire.Sha256;
import io.prosima.storage.Fragment;
import io.prosima.storage.FragmentId;
import io.prosima.storage.StorageCorruptionException;
import io.prosima.storage.StorageException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Put and Get of fragments (fragment.proto is the contract). The caller is the TLS identity; every
 * decision reads this node's committed state at the moment of the call. Logs carry reasons, never
 * fragment bytes or keys.
 */
final class FragmentService extends FragmentServiceGrpc.FragmentServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(FragmentService.class);

  private final Fragments f;
  private final ReceiptSigner signer;

  FragmentService(Fragments fragments, ReceiptSigner signer) {
    this.f = fragments;
    this.signer = signer;
  }

  @Override
  public void put(PutFragmentsRequest request, StreamObserver<PutFragmentsResponse> out) {
    answer(
        "put",
        out,
        () -> {
          List<Fragment> stored = store(PeerIdentityInterceptor.caller(), request);
          PutFragmentsResponse.Builder r = PutFragmentsResponse.newBuilder();
          // Signed only now: putAll returned, so the fragments are synced to disk.
          stored.forEach(s -> r.addReceipts(signer.sign(s)));
          return r.build();
        });
  }

  @Override
  public void get(GetFragmentsRequest request, StreamObserver<GetFragmentsResponse> out) {
    answer("get", out, () -> fetch(PeerIdentityInterceptor.caller(), request));
  }

  private interface Body<T> {
    T run() throws StorageException;
  }

  private <T> void answer(String op, StreamObserver<T> out, Body<T> body) {
    T response;
    try {
      response = body.run();
    } catch (FragmentRefusal r) {
      f.events.fragmentRequest(op, false, r.reason);
      log.debug("fragment {} refused ({}): {}", op, r.reason, r.getMessage());
      out.onError(r.status());
      return;
    } catch (StorageException e) {
      f.events.fragmentRequest(op, false, "storage");
      log.error("fragment {} failed: {}", op, e.getMessage());
      out.onError(
          Status.UNAVAILABLE.withDescription("fragment storage failed").asRuntimeException());
      return;
    } catch (StorageCorruptionException e) {
      f.events.fragmentRequest(op, false, "corruption");
      log.error("fragment {} failed: {}", op, e.getMessage());
      out.onError(Status.DATA_LOSS.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    f.events.fragmentRequest(op, true, "");
    out.onNext(response);
    out.onCompleted();
  }

  /** Checks the request, the caller's right to put and its quota; stores with a synced write. */
  private List<Fragment> store(ByteString caller, PutFragmentsRequest request)
      throws StorageException {
    String imageId = request.getImageId();
    checkImageId(imageId);
    int n = request.getFragmentsCount();
    if (n < 1 || n > FragmentLimits.PUT_FRAGMENTS_MAX) {
      throw FragmentRefusal.invalid("give 1.." + FragmentLimits.PUT_FRAGMENTS_MAX + " fragments");
    }
    Set<Long> seen = new HashSet<>();
    long requestBytes = 0;
    for (StoredFragment s : request.getFragmentsList()) {
      checkPosition(s.getTileIndex(), s.getFragmentIndex());
      if (s.getData().isEmpty() || s.getData().size() > FragmentLimits.FRAGMENT_BYTES_MAX) {
        throw FragmentRefusal.invalid(
            "fragment data must be 1.." + FragmentLimits.FRAGMENT_BYTES_MAX + " bytes");
      }
      if (!seen.add(((long) s.getTileIndex() << 32) | s.getFragmentIndex())) {
        throw FragmentRefusal.invalid("a fragment appears twice in the request");
      }
      requestBytes += s.getData().size();
    }
    int epoch = request.getKeyEpoch();
    List<Fragment> fragments = new ArrayList<>(n);
    for (StoredFragment s : request.getFragmentsList()) {
      byte[] data = s.getData().toByteArray();
      fragments.add(
          new Fragment(
              new FragmentId(imageId, epoch, s.getTileIndex(), s.getFragmentIndex()),
              caller,
              0,
              ByteString.copyFrom(Sha256.hash(data)),
              s.getData()));
    }
    synchronized (f.lock) {
      checkMayPut(caller, imageId, epoch);
      FragmentAccounting accounting = f.accounting;
      long freed = 0;
      List<Optional<Fragment>> replaced = new ArrayList<>(n);
      for (Fragment fr : fragments) {
        Optional<Fragment> old = f.store.get(fr.id());
        replaced.add(old);
        if (old.isPresent() && old.get().uploader().equals(caller)) {
          freed += old.get().data().size();
        }
      }
      long after = accounting.bytesOf(caller) - freed + requestBytes;
      if (after > f.quotaBytesPerIdentity) {
        throw new FragmentRefusal(
            Status.Code.RESOURCE_EXHAUSTED,
            "quota",
            "storing these fragments would put the caller at "
                + after
                + " bytes on this node, above its quota of "
                + f.quotaBytesPerIdentity
                + " bytes");
      }
      long now = f.clock.millis();
      List<Fragment> stamped = new ArrayList<>(n);
      for (Fragment fr : fragments) {
        stamped.add(new Fragment(fr.id(), fr.uploader(), now, fr.sha256(), fr.data()));
      }
      f.store.putAll(stamped);
      replaced.forEach(old -> old.ifPresent(o -> accounting.removed(o.info())));
      stamped.forEach(s -> accounting.added(s.info()));
      return stamped;
    }
  }

  /** Who may put (fragment.proto): hospitals; the owner's next epoch, or the claimant of an id. */
  private void checkMayPut(ByteString caller, String imageId, int epoch) {
    if (!f.access.isHospital(caller)) {
      throw new FragmentRefusal(
          Status.Code.PERMISSION_DENIED, "not_hospital", "only hospital identities store images");
    }
    Optional<ImageRecord> image = f.access.image(imageId);
    if (image.isPresent()) {
      if (!image.get().getOwner().equals(caller)) {
        throw new FragmentRefusal(
            Status.Code.PERMISSION_DENIED,
            "not_owner",
            "image '" + imageId + "' is anchored by another identity");
      }
      long next = Integer.toUnsignedLong(image.get().getKeyEpoch()) + 1;
      if (Integer.toUnsignedLong(epoch) != next) {
        throw new FragmentRefusal(
            Status.Code.FAILED_PRECONDITION,
            "epoch",
            "image '"
                + imageId
                + "' is anchored: only its next key epoch ("
                + next
                + ") is stored");
      }
      return;
    }
    if (epoch != 0) {
      throw new FragmentRefusal(
          Status.Code.FAILED_PRECONDITION,
          "epoch",
          "image '" + imageId + "' is not anchored: its fragments are of key epoch 0");
    }
    Optional<FragmentAccounting.Claim> claim = f.accounting.claim(imageId);
    if (claim.isPresent()
        && !claim.get().uploader().equals(caller)
        && f.clock.millis() - claim.get().newestStoredAtMs() <= f.orphanTtlMs) {
      throw new FragmentRefusal(
          Status.Code.PERMISSION_DENIED,
          "claimed",
          "another identity is storing image '" + imageId + "' on this node");
    }
  }

  private GetFragmentsResponse fetch(ByteString caller, GetFragmentsRequest request) {
    String imageId = request.getImageId();
    checkImageId(imageId);
    int n = request.getRefsCount();
    if (n < 1 || n > FragmentLimits.GET_REFS_MAX) {
      throw FragmentRefusal.invalid("give 1.." + FragmentLimits.GET_REFS_MAX + " fragment refs");
    }
    for (FragmentRef ref : request.getRefsList()) {
      checkPosition(ref.getTileIndex(), ref.getFragmentIndex());
    }
    Optional<ImageRecord> anchored = f.access.image(imageId);
    if (anchored.isEmpty() && imageId.startsWith(FragmentLimits.FEDERATION_PREFIX)) {
      // A federated round's sealed weights (issue 15): never an anchored image, encrypted to its
      // recipients' keys, so any hospital may fetch the ciphertext; only recipients open it.
      if (!f.access.isHospital(caller)) {
        throw new FragmentRefusal(
            Status.Code.PERMISSION_DENIED,
            "not_hospital",
            "only hospital identities fetch federated weights");
      }
      return collect(imageId, request);
    }
    ImageRecord image =
        anchored.orElseThrow(
            () ->
                new FragmentRefusal(
                    Status.Code.NOT_FOUND,
                    "not_anchored",
                    "image '" + imageId + "' is not anchored"));
    if (!f.access.ownerOrGrantee(image, caller)) {
      throw new FragmentRefusal(
          Status.Code.PERMISSION_DENIED,
          "no_grant",
          "only the image's owner and identities with a live access grant get its fragments");
    }
    return collect(imageId, request);
  }

  private GetFragmentsResponse collect(String imageId, GetFragmentsRequest request) {
    GetFragmentsResponse.Builder r = GetFragmentsResponse.newBuilder();
    long bytes = 0;
    for (FragmentRef ref : request.getRefsList()) {
      FragmentId id =
          new FragmentId(
              imageId, request.getKeyEpoch(), ref.getTileIndex(), ref.getFragmentIndex());
      Optional<Fragment> stored;
      try {
        stored = f.store.get(id);
      } catch (StorageCorruptionException e) {
        // Other nodes hold the other fragments; this one is answered as missing.
        log.error("fragment unreadable, answered as missing: {}", e.getMessage());
        continue;
      }
      if (stored.isEmpty()) {
        continue;
      }
      // Holds unless fragments were stored under a larger limit; then the rest is left out.
      if (bytes + stored.get().data().size() > FragmentLimits.GET_RESPONSE_BYTES_MAX) {
        log.warn("fragment response reached {} bytes; rest left out", bytes);
        break;
      }
      bytes += stored.get().data().size();
      r.addFragments(
          StoredFragment.newBuilder()
              .setTileIndex(ref.getTileIndex())
              .setFragmentIndex(ref.getFragmentIndex())
              .setData(stored.get().data()));
    }
    return r.build();
  }

  private static void checkImageId(String imageId) {
    if (!FragmentLimits.IMAGE_ID.matcher(imageId).matches()) {
      throw FragmentRefusal.invalid("image_id must match " + FragmentLimits.IMAGE_ID.pattern());
    }
  }

  private static void checkPosition(int tile, int fragment) {
    if (Integer.toUnsignedLong(tile) >= FragmentLimits.TILES_MAX
        || Integer.toUnsignedLong(fragment) >= FragmentLimits.FRAGMENTS_PER_TILE_MAX) {
      throw FragmentRefusal.invalid(
          "tile_index must be below "
              + FragmentLimits.TILES_MAX
              + " and fragment_index below "
              + FragmentLimits.FRAGMENTS_PER_TILE_MAX);
    }
  }
}
