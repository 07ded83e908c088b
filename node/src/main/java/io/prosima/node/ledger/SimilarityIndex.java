package io.prosima.node.ledger;

import com.google.protobuf.ByteString;
import io.prosima.imaging.hashcode.HammingIndex;
import io.prosima.proto.v1.CommittedBlock;
import io.prosima.proto.v1.ImageAnchor;
import io.prosima.proto.v1.ImageRecord;
import io.prosima.proto.v1.Transaction;
import io.prosima.proto.wire.TxCodec;
import io.prosima.storage.StorageCorruptionException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Every anchored image's similarity code (ImageAnchor.similarity_code) in a multi-index Hamming
 * index ({@link HammingIndex}), derived from committed blocks only. It holds nothing of its own: it
 * is rebuilt from the chain when the node starts and catches up with the store's height before each
 * search, so after a crash it agrees with whatever blocks are committed. An anchor counts only if
 * committed state names its transaction as the image's anchor (ImageRecord.tx_hash), so a refused
 * or conflicting anchor is never indexed; each image id is indexed once (idempotent).
 */
public final class SimilarityIndex {
  /** What an item of the index stands for. */
  public record Anchored(String imageId, ByteString txHash) {}

  /** A match: the image, its anchor transaction, the Hamming distance. */
  public record Match(Anchored image, int distance) {}

  private final LedgerCore core;
  private final ImageAccess access;
  private final HammingIndex index = new HammingIndex();
  private final List<Anchored> items = new ArrayList<>();
  private final Set<String> indexed = new HashSet<>();
  private long height;

  public SimilarityIndex(LedgerCore core) {
    this.core = core;
    this.access = new ImageAccess(core);
  }

  /** Indexes every committed block above the last one indexed; returns the height reached. */
  public synchronized long catchUp() {
    long tip = core.store().height();
    for (long h = height + 1; h <= tip; h++) {
      long at = h;
      CommittedBlock block =
          core.store()
              .block(h)
              .orElseThrow(
                  () ->
                      new StorageCorruptionException(
                          "storage corruption: height " + at + " is committed but has no block"));
      for (Transaction tx : block.getBlock().getTxsList()) {
        if (tx.getPayload().hasImageAnchor()) {
          add(tx);
        }
      }
      height = h;
    }
    return height;
  }

  private void add(Transaction tx) {
    ImageAnchor a = tx.getPayload().getImageAnchor();
    if (a.getSimilarityCode().size() != HammingIndex.BITS / 8 || indexed.contains(a.getImageId())) {
      return;
    }
    ByteString hash = ByteString.copyFrom(TxCodec.hash(tx));
    ImageRecord record = access.image(a.getImageId()).orElse(null);
    if (record == null || !record.getTxHash().equals(hash)) {
      return;
    }
    index.add(a.getSimilarityCode().toByteArray());
    items.add(new Anchored(a.getImageId(), hash));
    indexed.add(a.getImageId());
  }

  /** The k nearest indexed images among those {@code visible} accepts, nearest first. */
  public synchronized List<Match> search(byte[] code, int k, Predicate<String> visible) {
    catchUp();
    List<Match> out = new ArrayList<>();
    for (HammingIndex.Match m :
        index.search(code, k, item -> visible.test(items.get(item).imageId()))) {
      out.add(new Match(items.get(m.item()), m.distance()));
    }
    return out;
  }

  /** The committed height the index reflects. */
  public synchronized long height() {
    return height;
  }

  public synchronized int size() {
    return index.size();
  }
}
