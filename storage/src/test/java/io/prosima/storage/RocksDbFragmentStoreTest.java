package io.prosima.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.prosima.proto.wire.Sha256;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbFragmentStoreTest {
  @TempDir Path dir;

  private static final ByteString UPLOADER = ByteString.copyFrom(filled(32, 0x5));

  private static byte[] filled(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return b;
  }

  private static Fragment fragment(String image, int epoch, int tile, int index) {
    byte[] data = (image + "/" + epoch + "/" + tile + "/" + index).getBytes();
    return new Fragment(
        new FragmentId(image, epoch, tile, index),
        UPLOADER,
        1_000 + tile,
        ByteString.copyFrom(Sha256.hash(data)),
        ByteString.copyFrom(data));
  }

  private static List<FragmentInfo> all(FragmentStore store) {
    List<FragmentInfo> out = new ArrayList<>();
    store.scan(out::add);
    return out;
  }

  @Test
  void storedFragmentsComeBackAndSurviveReopening() throws Exception {
    Fragment a = fragment("img-1", 0, 0, 0);
    Fragment b = fragment("img-1", 0, 3, 2);
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      store.fragments().putAll(List.of(a, b));
      assertEquals(a, store.fragments().get(a.id()).orElseThrow());
    }
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      assertEquals(b, store.fragments().get(b.id()).orElseThrow());
      assertTrue(store.fragments().get(new FragmentId("img-1", 0, 3, 1)).isEmpty());
      assertEquals(List.of(a.info(), b.info()), all(store.fragments()));
    }
  }

  @Test
  void puttingTheSameFragmentAgainReplacesIt() throws Exception {
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      Fragment first = fragment("img-1", 0, 0, 0);
      Fragment again =
          new Fragment(first.id(), UPLOADER, 9, first.sha256(), ByteString.copyFromUtf8("x"));
      store.fragments().putAll(List.of(first));
      store.fragments().putAll(List.of(again));
      assertEquals(again, store.fragments().get(first.id()).orElseThrow());
      assertEquals(1, all(store.fragments()).size());
    }
  }

  @Test
  void aCorruptedFragmentIsDetectedOnRead() throws Exception {
    Fragment a = fragment("img-1", 0, 0, 0);
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      store.fragments().putAll(List.of(a));
    }
    RocksDbLedgerStoreTest.corrupt(dir, "fragments", FragmentKeys.key(a.id()));
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      assertThrows(StorageCorruptionException.class, () -> store.fragments().get(a.id()));
      assertThrows(StorageCorruptionException.class, () -> all(store.fragments()));
    }
  }

  @Test
  void deletingEpochsBelowKeepsLaterEpochsAndOtherImages() throws Exception {
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      FragmentStore f = store.fragments();
      // "img-1" and "img-10" share a prefix; the 0x00 separator keeps them apart.
      f.putAll(
          List.of(
              fragment("img-1", 0, 0, 0),
              fragment("img-1", 1, 0, 0),
              fragment("img-1", 2, 5, 1),
              fragment("img-10", 0, 0, 0)));
      f.deleteEpochsBelow("img-1", 2);
      List<FragmentId> left = all(f).stream().map(FragmentInfo::id).toList();
      assertEquals(
          List.of(new FragmentId("img-1", 2, 5, 1), new FragmentId("img-10", 0, 0, 0)), left);
      f.deleteAll(List.of(new FragmentId("img-10", 0, 0, 0), new FragmentId("nope", 0, 0, 0)));
      assertEquals(1, all(f).size());
    }
  }

  @Test
  void aScanStopsWhenTheVisitorSaysSo() throws Exception {
    try (RocksDbLedgerStore store = RocksDbLedgerStore.open(dir)) {
      store
          .fragments()
          .putAll(List.of(fragment("a", 0, 0, 0), fragment("b", 0, 0, 0), fragment("c", 0, 0, 0)));
      List<FragmentInfo> seen = new ArrayList<>();
      store
          .fragments()
          .scan(
              i -> {
                seen.add(i);
                return seen.size() < 2;
              });
      assertEquals(2, seen.size());
    }
  }
}
