package io.prosima.node.image;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.prosima.node.client.NodeClient;
import io.prosima.node.client.TxProofVerifier;
import io.prosima.proto.v1.AccessGrant;
import io.prosima.proto.v1.GetImageProvenanceRequest;
import io.prosima.proto.v1.ImageAnchor;
import io.prosima.proto.v1.ImageProvenanceResponse;
import io.prosima.proto.v1.PlacementInfo;
import io.prosima.proto.v1.TxResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An image's history read from a node with every entry's inclusion proof and commit certificate
 * checked against the genesis, replayed into what holds now: the anchor, the owner, the current key
 * epoch and its placement, and the live grants. Nothing here trusts the node beyond what the proofs
 * show (a node could still omit entries; a second node's answer can be compared).
 */
public final class ImageHistory {
  /** Entries per provenance page asked for. */
  static final int PAGE_ENTRIES = 1000;

  /** An image with more history than this is refused rather than read without bound. */
  static final int ENTRIES_MAX = 100_000;

  private final List<TxResponse> entries;
  private final ImageAnchor anchor;
  private final ByteString owner;
  private final int keyEpoch;
  private final PlacementInfo placement;
  private final Map<ByteString, AccessGrant> liveGrants;

  private ImageHistory(List<TxResponse> entries) {
    this.entries = List.copyOf(entries);
    ImageAnchor a = null;
    ByteString o = null;
    int epoch = 0;
    PlacementInfo p = null;
    Map<ByteString, AccessGrant> grants = new LinkedHashMap<>();
    for (TxResponse e : entries) {
      var payload = e.getTx().getPayload();
      switch (payload.getKindCase()) {
        case IMAGE_ANCHOR -> {
          a = payload.getImageAnchor();
          o = e.getTx().getSigner();
          p = a.getPlacement();
        }
        case IMAGE_REKEY -> {
          epoch = payload.getImageRekey().getKeyEpoch();
          p = payload.getImageRekey().getPlacement();
        }
        case ACCESS_GRANT ->
            grants.put(payload.getAccessGrant().getGrantee(), payload.getAccessGrant());
        case ACCESS_REVOKE -> grants.remove(payload.getAccessRevoke().getGrantee());
        default -> {}
      }
    }
    if (a == null) {
      throw new IllegalArgumentException("the history holds no anchor");
    }
    this.anchor = a;
    this.owner = o;
    this.keyEpoch = epoch;
    this.placement = p;
    this.liveGrants = Collections.unmodifiableMap(grants);
  }

  /** Thrown when the image is unknown, we may not read it, or a node's answer does not verify. */
  public static final class HistoryException extends java.io.IOException {
    private final Status.Code code;

    HistoryException(String message, Status.Code code) {
      super(message);
      this.code = code;
    }

    public Status.Code code() {
      return code;
    }
  }

  /** Reads and verifies the whole history of {@code imageId} from {@code node}. */
  public static ImageHistory read(NodeClient node, ChainNodes chain, String imageId)
      throws HistoryException {
    List<TxResponse> all = new ArrayList<>();
    ByteString token = ByteString.EMPTY;
    try {
      // The sets that certified each entry's block, verified from genesis through every change.
      var followed = io.prosima.node.client.ValidatorSetFollower.follow(chain.genesis(), node);
      if (followed.problem() != null) {
        throw new HistoryException(
            "the node's validator changes do not verify: " + followed.problem(),
            Status.Code.DATA_LOSS);
      }
      do {
        ImageProvenanceResponse page =
            node.query()
                .getImageProvenance(
                    GetImageProvenanceRequest.newBuilder()
                        .setImageId(imageId)
                        .setLimit(PAGE_ENTRIES)
                        .setPageToken(token)
                        .build());
        for (TxResponse e : page.getEntriesList()) {
          String problem = TxProofVerifier.check(e, chain.genesis(), followed.sets());
          if (problem != null) {
            throw new HistoryException(
                "the node's answer for image " + imageId + " does not verify: " + problem,
                Status.Code.DATA_LOSS);
          }
          all.add(e);
        }
        if (all.size() > ENTRIES_MAX) {
          throw new HistoryException(
              "image " + imageId + " has more than " + ENTRIES_MAX + " history entries",
              Status.Code.RESOURCE_EXHAUSTED);
        }
        token = page.getNextPageToken();
      } while (!token.isEmpty());
    } catch (StatusRuntimeException e) {
      throw new HistoryException(
          e.getStatus().getCode() == Status.Code.NOT_FOUND
              ? "image " + imageId + " is not anchored"
              : "node refused the history of "
                  + imageId
                  + ": "
                  + e.getStatus().getCode()
                  + " "
                  + String.valueOf(e.getStatus().getDescription()),
          e.getStatus().getCode());
    }
    try {
      return new ImageHistory(all);
    } catch (IllegalArgumentException e) {
      throw new HistoryException(
          "the node's history of " + imageId + " has no anchor", Status.Code.DATA_LOSS);
    }
  }

  /** Every entry, in commit order, each already verified. */
  public List<TxResponse> entries() {
    return entries;
  }

  public ImageAnchor anchor() {
    return anchor;
  }

  public ByteString owner() {
    return owner;
  }

  public int keyEpoch() {
    return keyEpoch;
  }

  public PlacementInfo placement() {
    return placement;
  }

  /** Grants not revoked since, by grantee (any epoch). */
  public Map<ByteString, AccessGrant> liveGrants() {
    return liveGrants;
  }

  /** The grant that opens the current epoch for {@code identity}, if any. */
  public Optional<AccessGrant> currentGrant(ByteString identity) {
    AccessGrant g = liveGrants.get(identity);
    return g != null && g.getKeyEpoch() == keyEpoch ? Optional.of(g) : Optional.empty();
  }
}
