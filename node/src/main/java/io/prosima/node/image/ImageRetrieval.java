package io.prosima.node.image;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.prosima.imaging.crypto.DataKey;
import io.prosima.imaging.crypto.KeyUnwrapException;
import io.prosima.imaging.crypto.KeyWrap;
import io.prosima.imaging.crypto.TileAuthenticationException;
import io.prosima.imaging.crypto.WrapContext;
import io.prosima.imaging.erasure.InsufficientFragmentsException;
import io.prosima.imaging.io.GrayImage;
import io.prosima.imaging.tiling.TileGrid;
import io.prosima.proto.v1.AccessGrant;
import io.prosima.proto.v1.FragmentRef;
import io.prosima.proto.v1.GetFragmentsRequest;
import io.prosima.proto.v1.GetFragmentsResponse;
import io.prosima.proto.v1.ImageAnchor;
import io.prosima.proto.v1.PlacementInfo;
import io.prosima.proto.v1.StoredFragment;
import io.prosima.proto.v1.TilePlacement;
import io.prosima.proto.wire.Sha256;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Retrieves an image for its owner or a grantee: the verified history gives the anchor, the
 * placement and our grant; the data key is unwrapped; r fragments per tile are fetched from the
 * nearest nodes (our region first), each checked against its on-chain hash; dead nodes and altered
 * fragments are skipped in favour of the next holders; tiles are decoded, decrypted and checked
 * against their on-chain content hashes before the image is assembled.
 */
public final class ImageRetrieval {
  /** The fragment service's limit on refs per Get (FragmentLimits on the node). */
  static final int REFS_PER_CALL_MAX = 64;

  private final ChainNodes nodes;
  private final ExecutorService calls;

  public ImageRetrieval(ChainNodes nodes, ExecutorService calls) {
    this.nodes = nodes;
    this.calls = calls;
  }

  /** The image, how to write it, and what was skipped on the way (dead or lying nodes). */
  public record Retrieved(
      String imageId,
      GrayImage image,
      int sampleBits,
      int keyEpoch,
      List<String> skipped,
      int fragmentsFetched) {}

  public static final class RetrievalException extends java.io.IOException {
    public RetrievalException(String message) {
      super(message);
    }
  }

  public Retrieved retrieve(ImageHistory history, String myRegion)
      throws RetrievalException, InterruptedException {
    ImageAnchor anchor = history.anchor();
    String imageId = anchor.getImageId();
    PlacementInfo placement = history.placement();
    int r = placement.getFragmentsNeeded();
    if (r == 0) {
      throw new RetrievalException("image " + imageId + " has no stored fragments");
    }
    DataKey key = dataKey(history);
    try {
      TileSealer sealer =
          new TileSealer(
              nodes.chainId(), imageId, key, r, placement.getFragmentsTotal(), new SecureRandom());
      int tiles = placement.getTilesCount();
      List<String> skipped = new ArrayList<>();
      Map<Integer, List<byte[]>> good =
          fetch(imageId, history.keyEpoch(), placement, myRegion, skipped);
      List<byte[]> canonical = new ArrayList<>(tiles);
      int fetched = 0;
      for (int t = 0; t < tiles; t++) {
        List<byte[]> fragments = good.getOrDefault(t, List.of());
        fetched += fragments.size();
        byte[] tile;
        try {
          tile = sealer.open(t, fragments);
        } catch (InsufficientFragmentsException | TileAuthenticationException e) {
          throw new RetrievalException("tile " + t + " cannot be rebuilt: " + e.getMessage());
        }
        byte[] expected = anchor.getLeaves(t).getContentHash().toByteArray();
        if (!Arrays.equals(Sha256.hash(tile), expected)) {
          throw new RetrievalException(
              "tile " + t + " decrypts but does not match its on-chain content hash");
        }
        canonical.add(tile);
      }
      var g = anchor.getGrid();
      TileGrid grid = new TileGrid(g.getImageWidth(), g.getImageHeight());
      return new Retrieved(
          imageId,
          ImageFingerprint.assemble(grid, canonical),
          anchor.getSampleBits() == 8 ? 8 : 16,
          history.keyEpoch(),
          skipped,
          fetched);
    } finally {
      key.destroy();
    }
  }

  /** Our grant's wrapped key, unwrapped; the owner may also derive its own key. */
  private DataKey dataKey(ImageHistory history) throws RetrievalException {
    ByteString me = nodes.key().getEd25519PublicKey();
    String imageId = history.anchor().getImageId();
    Optional<AccessGrant> grant = history.currentGrant(me);
    if (grant.isEmpty()) {
      if (history.owner().equals(me)) {
        return DataKeys.derive(
            nodes.key().getX25519PrivateKey().toByteArray(),
            nodes.chainId(),
            imageId,
            history.keyEpoch());
      }
      throw new RetrievalException(
          "this identity holds no live grant for image "
              + imageId
              + " at key epoch "
              + history.keyEpoch());
    }
    try {
      return KeyWrap.unwrap(
          grant.get().getWrappedKey().toByteArray(),
          nodes.key().getX25519PrivateKey().toByteArray(),
          new WrapContext(nodes.chainId(), imageId, me.toByteArray()));
    } catch (KeyUnwrapException e) {
      throw new RetrievalException("our grant's wrapped key does not open: " + e.getMessage());
    }
  }

  /**
   * Fetches until every tile has r fragments whose hashes match the chain, or no holder is left.
   * Round one asks each tile's r preferred holders; later rounds ask the next ones for the tiles
   * still short.
   */
  private Map<Integer, List<byte[]>> fetch(
      String imageId, int epoch, PlacementInfo placement, String myRegion, List<String> skipped)
      throws RetrievalException, InterruptedException {
    int r = placement.getFragmentsNeeded();
    int tiles = placement.getTilesCount();
    List<List<Integer>> order = new ArrayList<>();
    for (int t = 0; t < tiles; t++) {
      order.add(preference(placement, placement.getTiles(t), myRegion));
    }
    Map<Integer, List<byte[]>> good = new HashMap<>();
    Set<Long> tried = new HashSet<>();
    Set<ByteString> dead = new HashSet<>();
    while (true) {
      Map<ByteString, List<int[]>> ask = new LinkedHashMap<>();
      for (int t = 0; t < tiles; t++) {
        int have = good.getOrDefault(t, List.of()).size();
        int pendingThisRound = 0;
        for (int i : order.get(t)) {
          if (have + pendingThisRound >= r) {
            break;
          }
          ByteString holder = placement.getNodes(placement.getTiles(t).getNodeIndices(i));
          if (dead.contains(holder) || !tried.add(((long) t << 32) | i)) {
            continue;
          }
          ask.computeIfAbsent(holder, k -> new ArrayList<>()).add(new int[] {t, i});
          pendingThisRound++;
        }
        if (have + pendingThisRound < r) {
          throw new RetrievalException(
              "tile "
                  + t
                  + " has fewer than "
                  + r
                  + " reachable, intact fragments"
                  + (skipped.isEmpty() ? "" : " (" + String.join("; ", skipped) + ")"));
        }
      }
      if (ask.isEmpty()) {
        return good;
      }
      Map<ByteString, List<Future<GetFragmentsResponse>>> answers = new LinkedHashMap<>();
      for (var e : ask.entrySet()) {
        List<int[]> refs = e.getValue();
        // A node answers at most REFS_PER_CALL_MAX refs per call: larger images take several.
        for (int from = 0; from < refs.size(); from += REFS_PER_CALL_MAX) {
          GetFragmentsRequest.Builder req =
              GetFragmentsRequest.newBuilder().setImageId(imageId).setKeyEpoch(epoch);
          for (int[] ti : refs.subList(from, Math.min(refs.size(), from + REFS_PER_CALL_MAX))) {
            req.addRefs(FragmentRef.newBuilder().setTileIndex(ti[0]).setFragmentIndex(ti[1]));
          }
          answers
              .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
              .add(calls.submit(() -> nodes.fragments(e.getKey()).get(req.build())));
        }
      }
      for (var e : answers.entrySet()) {
        ByteString holder = e.getKey();
        List<StoredFragment> response = new ArrayList<>();
        try {
          for (Future<GetFragmentsResponse> part : e.getValue()) {
            response.addAll(part.get().getFragmentsList());
          }
        } catch (ExecutionException ex) {
          dead.add(holder);
          skipped.add(nodes.name(holder) + " " + describe(ex.getCause()));
          continue;
        }
        Set<Long> asked = new HashSet<>();
        for (int[] ti : ask.get(holder)) {
          asked.add(((long) ti[0] << 32) | ti[1]);
        }
        for (StoredFragment f : response) {
          int t = f.getTileIndex();
          int i = f.getFragmentIndex();
          if (!asked.remove(((long) t << 32) | i)) {
            continue; // not asked of this node: ignored
          }
          byte[] data = f.getData().toByteArray();
          byte[] expected = placement.getTiles(t).getFragmentSha256(i).toByteArray();
          if (Arrays.equals(Sha256.hash(data), expected)) {
            good.computeIfAbsent(t, k -> new ArrayList<>()).add(data);
          } else {
            skipped.add(nodes.name(holder) + " served tile " + t + " fragment " + i + " altered");
          }
        }
        if (!asked.isEmpty()) {
          skipped.add(nodes.name(holder) + " lacks " + asked.size() + " fragment(s)");
        }
      }
    }
  }

  private static String describe(Throwable t) {
    if (t instanceof StatusRuntimeException s) {
      return "unreachable or refused: " + s.getStatus().getCode();
    }
    return "failed: " + t;
  }

  /** Fragment indices of a tile, holders in our region first, then by index (data shards first). */
  private List<Integer> preference(PlacementInfo placement, TilePlacement tile, String myRegion) {
    List<Integer> near = new ArrayList<>();
    List<Integer> far = new ArrayList<>();
    for (int i = 0; i < tile.getNodeIndicesCount(); i++) {
      ByteString holder = placement.getNodes(tile.getNodeIndices(i));
      String region = nodes.validator(holder).map(v -> v.getRegion()).orElse("");
      (region.equals(myRegion) ? near : far).add(i);
    }
    near.addAll(far);
    return near;
  }
}
