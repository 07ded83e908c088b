package io.prosima.imaging.federated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.prosima.imaging.crypto.X25519KeyPair;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FederatedPiecesTest {
  static final Map<String, long[]> SHAPES = Map.of("g/a", new long[] {2, 3}, "g/b", new long[] {4});

  static Map<String, float[]> weights(float base) {
    Map<String, float[]> w = new LinkedHashMap<>();
    w.put("g/b", new float[] {base, base, base, base});
    w.put("g/a", new float[] {base, 1, 2, 3, 4, base});
    return w;
  }

  @Test
  void aBlobDecodesToTheSameTensorsAndIsCanonicalWhateverTheMapOrder() throws Exception {
    byte[] blob = WeightsBlob.encode(weights(0.5f), SHAPES);
    Map<String, float[]> back = WeightsBlob.decode(blob, SHAPES);
    assertArrayEquals(weights(0.5f).get("g/a"), back.get("g/a"));
    Map<String, float[]> reordered = new LinkedHashMap<>();
    reordered.put("g/a", weights(0.5f).get("g/a"));
    reordered.put("g/b", weights(0.5f).get("g/b"));
    assertArrayEquals(blob, WeightsBlob.encode(reordered, SHAPES));
  }

  @Test
  void blobsOfAnotherShapeTruncatedOrWithTrailingBytesAreRefused() {
    byte[] blob = WeightsBlob.encode(weights(0.5f), SHAPES);
    assertThrows(
        WeightsBlob.BadBlobException.class,
        () -> WeightsBlob.decode(Arrays.copyOf(blob, blob.length - 1), SHAPES));
    assertThrows(
        WeightsBlob.BadBlobException.class,
        () -> WeightsBlob.decode(Arrays.copyOf(blob, blob.length + 4), SHAPES));
    assertThrows(
        WeightsBlob.BadBlobException.class,
        () -> WeightsBlob.decode(blob, Map.of("g/a", new long[] {3, 2}, "g/b", new long[] {4})));
    byte[] hugeCount = blob.clone();
    hugeCount[4] = 0x7f;
    assertThrows(WeightsBlob.BadBlobException.class, () -> WeightsBlob.decode(hugeCount, SHAPES));
  }

  static UpdateCheck.Candidate candidate(String who, Map<String, float[]> w, long samples) {
    byte[] blob = WeightsBlob.encode(w, SHAPES);
    return new UpdateCheck.Candidate(who, WeightsBlob.sha256(blob), samples, blob);
  }

  @Test
  void updatesWithAWrongHashNanOrAbsurdNormAreExcludedWithTheirReason() {
    Map<String, float[]> global = weights(0f);
    var ok = UpdateCheck.check(candidate("h0", weights(0.1f), 10), global, SHAPES, 10);
    assertInstanceOf(UpdateCheck.Accepted.class, ok);

    var honest = candidate("h1", weights(0.1f), 10);
    var swapped =
        new UpdateCheck.Candidate(
            "h1", honest.anchoredSha256(), 10, WeightsBlob.encode(weights(0.2f), SHAPES));
    assertEquals(
        "hash_mismatch",
        ((UpdateCheck.Excluded) UpdateCheck.check(swapped, global, SHAPES, 10)).reason());

    Map<String, float[]> nan = weights(0.1f);
    nan.get("g/b")[2] = Float.NaN;
    assertEquals(
        "non_finite",
        ((UpdateCheck.Excluded) UpdateCheck.check(candidate("h2", nan, 10), global, SHAPES, 10))
            .reason());
    assertEquals(
        "norm",
        ((UpdateCheck.Excluded)
                UpdateCheck.check(candidate("h3", weights(1e6f), 10), global, SHAPES, 10))
            .reason());
    byte[] junk = new byte[] {1, 2, 3};
    assertEquals(
        "malformed",
        ((UpdateCheck.Excluded)
                UpdateCheck.check(
                    new UpdateCheck.Candidate("h4", WeightsBlob.sha256(junk), 10, junk),
                    global,
                    SHAPES,
                    10))
            .reason());
    assertEquals(
        "missing",
        ((UpdateCheck.Excluded)
                UpdateCheck.check(
                    new UpdateCheck.Candidate("h5", new byte[32], 10, null), global, SHAPES, 10))
            .reason());
  }

  @Test
  void fedAvgWeightsEachUpdateByItsSampleCount() {
    var a = new UpdateCheck.Accepted("a", 1, weights(0f));
    var b = new UpdateCheck.Accepted("b", 3, weights(4f));
    Map<String, float[]> avg = FedAvg.average(List.of(a, b));
    assertArrayEquals(new float[] {3, 3, 3, 3}, avg.get("g/b"));
    assertArrayEquals(new float[] {3, 1, 2, 3, 4, 3}, avg.get("g/a"));
  }

  @Test
  void aSealedBlobOpensOnlyForItsRecipientsAndOnlyUnderItsId() throws Exception {
    SecureRandom random = new SecureRandom();
    X25519KeyPair aggregator = X25519KeyPair.generate(random);
    X25519KeyPair other = X25519KeyPair.generate(random);
    byte[] aggregatorId = new byte[32];
    aggregatorId[0] = 1;
    byte[] otherId = new byte[32];
    otherId[0] = 2;
    byte[] blob = WeightsBlob.encode(weights(0.3f), SHAPES);
    byte[] sealed =
        SealedBlob.seal(
            blob,
            "chain",
            "fed.m.u0",
            List.of(new SealedBlob.Recipient(aggregatorId, aggregator.publicKey())),
            random);
    assertArrayEquals(
        blob, SealedBlob.open(sealed, "chain", "fed.m.u0", aggregatorId, aggregator.privateKey()));
    assertThrows(
        SealedBlob.CannotOpenException.class,
        () -> SealedBlob.open(sealed, "chain", "fed.m.u0", otherId, other.privateKey()));
    assertThrows(
        SealedBlob.CannotOpenException.class,
        () -> SealedBlob.open(sealed, "chain", "fed.m.u1", aggregatorId, aggregator.privateKey()));
  }
}
