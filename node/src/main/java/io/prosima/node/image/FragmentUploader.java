package io.prosima.node.image;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.prosima.imaging.placement.FragmentPlacement;
import io.prosima.imaging.placement.PlacementNode;
import io.prosima.proto.v1.PlacementInfo;
import io.prosima.proto.v1.PutFragmentsRequest;
import io.prosima.proto.v1.PutFragmentsResponse;
import io.prosima.proto.v1.StorageReceipt;
import io.prosima.proto.v1.StoredFragment;
import io.prosima.proto.v1.TilePlacement;
import io.prosima.proto.wire.ReceiptCodec;
import io.prosima.proto.wire.Sha256;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Places each tile's s fragments on s distinct validators (rendezvous ranking, the uploader's
 * region first), uploads them with one Put per node in parallel, and checks every signed receipt. A
 * node that is down, refuses, or returns a receipt that does not check is skipped: its fragments
 * move to the next node in that tile's ranking. The result is the anchor's {@link PlacementInfo}:
 * every fragment it lists is durably stored and receipted (all s per tile, never fewer).
 */
final class FragmentUploader {
  /** Fragment bytes per Put; well under the node's 16 MiB request limit. */
  static final long PUT_BYTES_MAX = 4L << 20;

  private final ChainNodes nodes;
  private final ExecutorService calls;

  FragmentUploader(ChainNodes nodes, ExecutorService calls) {
    this.nodes = nodes;
    this.calls = calls;
  }

  /** Thrown when fewer than s nodes per tile accepted the fragments. */
  static final class UploadException extends java.io.IOException {
    UploadException(String message) {
      super(message);
    }
  }

  /**
   * @param fragments [tile][fragment index] serialised fragments
   */
  PlacementInfo upload(String imageId, int epoch, byte[][][] fragments, int r, int s, String region)
      throws UploadException, InterruptedException {
    List<PlacementNode> candidates = nodes.placementNodes();
    int tiles = fragments.length;
    List<List<ByteString>> ranking = new ArrayList<>(tiles);
    ByteString[][] holder = new ByteString[tiles][s];
    byte[][][] hashes = new byte[tiles][s][];
    for (int t = 0; t < tiles; t++) {
      List<ByteString> ranked = new ArrayList<>();
      for (PlacementNode p :
          FragmentPlacement.choose(imageId, t, candidates, region, candidates.size())) {
        ranked.add(ByteString.copyFrom(p.publicKey()));
      }
      ranking.add(ranked);
      for (int i = 0; i < s; i++) {
        holder[t][i] = ranked.get(i);
        hashes[t][i] = Sha256.hash(fragments[t][i]);
      }
    }
    Set<ByteString> failed = new HashSet<>();
    List<String> problems = new ArrayList<>();
    boolean[][] stored = new boolean[tiles][s];
    while (true) {
      Map<ByteString, List<int[]>> pending = new LinkedHashMap<>();
      for (int t = 0; t < tiles; t++) {
        for (int i = 0; i < s; i++) {
          if (!stored[t][i]) {
            pending.computeIfAbsent(holder[t][i], k -> new ArrayList<>()).add(new int[] {t, i});
          }
        }
      }
      if (pending.isEmpty()) {
        break;
      }
      Map<ByteString, Future<String>> results = new HashMap<>();
      for (var e : pending.entrySet()) {
        results.put(
            e.getKey(),
            calls.submit(
                () -> putAll(e.getKey(), imageId, epoch, e.getValue(), fragments, hashes)));
      }
      for (var e : results.entrySet()) {
        String problem;
        try {
          problem = e.getValue().get();
        } catch (ExecutionException ex) {
          problem = String.valueOf(ex.getCause());
        }
        ByteString node = e.getKey();
        if (problem == null) {
          for (int[] ti : pending.get(node)) {
            stored[ti[0]][ti[1]] = true;
          }
          continue;
        }
        failed.add(node);
        problems.add(nodes.name(node) + ": " + problem);
        // Move this node's fragments to the next node of each tile's ranking not yet used.
        for (int[] ti : pending.get(node)) {
          ByteString next = nextHolder(ranking.get(ti[0]), holder[ti[0]], failed);
          if (next == null) {
            throw new UploadException(
                "fewer than "
                    + s
                    + " validators accepted the fragments of tile "
                    + ti[0]
                    + " ("
                    + String.join("; ", problems)
                    + ")");
          }
          holder[ti[0]][ti[1]] = next;
        }
      }
    }
    return placement(r, s, region, holder, hashes);
  }

  private static ByteString nextHolder(
      List<ByteString> ranked, ByteString[] used, Set<ByteString> failed) {
    Set<ByteString> taken = new HashSet<>(Arrays.asList(used));
    for (ByteString candidate : ranked) {
      if (!failed.contains(candidate) && !taken.contains(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Everything for one node, in Puts of at most {@link #PUT_BYTES_MAX} (nodes refuse requests above
   * 16 MiB); null when every receipt checks, else what went wrong.
   */
  private String putAll(
      ByteString node,
      String imageId,
      int epoch,
      List<int[]> items,
      byte[][][] fragments,
      byte[][][] hashes) {
    int from = 0;
    while (from < items.size()) {
      int to = from;
      long bytes = 0;
      while (to < items.size()
          && (to == from
              || bytes + fragments[items.get(to)[0]][items.get(to)[1]].length <= PUT_BYTES_MAX)) {
        bytes += fragments[items.get(to)[0]][items.get(to)[1]].length;
        to++;
      }
      String problem = put(node, imageId, epoch, items.subList(from, to), fragments, hashes);
      if (problem != null) {
        return problem;
      }
      from = to;
    }
    return null;
  }

  /** One Put to one node; null when every receipt checks, else what went wrong. */
  private String put(
      ByteString node,
      String imageId,
      int epoch,
      List<int[]> items,
      byte[][][] fragments,
      byte[][][] hashes) {
    PutFragmentsRequest.Builder request =
        PutFragmentsRequest.newBuilder().setImageId(imageId).setKeyEpoch(epoch);
    for (int[] ti : items) {
      request.addFragments(
          StoredFragment.newBuilder()
              .setTileIndex(ti[0])
              .setFragmentIndex(ti[1])
              .setData(ByteString.copyFrom(fragments[ti[0]][ti[1]])));
    }
    PutFragmentsResponse response;
    try {
      response = nodes.fragments(node).put(request.build());
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode() + " " + String.valueOf(e.getStatus().getDescription());
    }
    if (response.getReceiptsCount() != items.size()) {
      return "answered " + response.getReceiptsCount() + " receipts for " + items.size();
    }
    ByteString me = nodes.key().getEd25519PublicKey();
    for (int k = 0; k < items.size(); k++) {
      StorageReceipt receipt = response.getReceipts(k);
      int[] ti = items.get(k);
      boolean matches =
          receipt.getChainId().equals(nodes.chainId())
              && receipt.getNode().equals(node)
              && receipt.getUploader().equals(me)
              && receipt.getImageId().equals(imageId)
              && receipt.getKeyEpoch() == epoch
              && receipt.getTileIndex() == ti[0]
              && receipt.getFragmentIndex() == ti[1]
              && Arrays.equals(receipt.getFragmentSha256().toByteArray(), hashes[ti[0]][ti[1]]);
      if (!matches || !ReceiptCodec.signatureValid(receipt)) {
        return "receipt for tile " + ti[0] + " fragment " + ti[1] + " does not check";
      }
    }
    return null;
  }

  private PlacementInfo placement(
      int r, int s, String region, ByteString[][] holder, byte[][][] hashes) {
    // Node table in genesis order, so the same placement always encodes the same way.
    List<ByteString> table = new ArrayList<>();
    Set<ByteString> used = new HashSet<>();
    for (ByteString[] tile : holder) {
      used.addAll(Arrays.asList(tile));
    }
    for (PlacementNode p : nodes.placementNodes()) {
      ByteString k = ByteString.copyFrom(p.publicKey());
      if (used.contains(k)) {
        table.add(k);
      }
    }
    PlacementInfo.Builder out =
        PlacementInfo.newBuilder()
            .setFragmentsNeeded(r)
            .setFragmentsTotal(s)
            .addAllNodes(table)
            .setUploaderRegion(region);
    for (int t = 0; t < holder.length; t++) {
      TilePlacement.Builder tile = TilePlacement.newBuilder();
      for (int i = 0; i < s; i++) {
        tile.addNodeIndices(table.indexOf(holder[t][i]));
        tile.addFragmentSha256(ByteString.copyFrom(hashes[t][i]));
      }
      out.addTiles(tile);
    }
    return out.build();
  }
}
