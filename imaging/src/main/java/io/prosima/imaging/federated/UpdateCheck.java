package io.prosima.imaging.federated;

import java.security.MessageDigest;
import java.util.Map;

/**
 * The aggregator's checks of one hospital's update, before it may enter FedAvg: the blob's SHA-256
 * is the anchored one, it decodes to exactly the global model's tensors, every value is finite, its
 * sample count is in range, and its distance from the global model is bounded (an absurd norm is a
 * broken or hostile update, not a large step of honest fine-tuning).
 */
public final class UpdateCheck {
  /** Sample counts above this are refused (they would let one update outweigh all others). */
  public static final long SAMPLES_MAX = 1_000_000;

  private UpdateCheck() {}

  /** What the aggregator holds about one update. */
  public record Candidate(String participant, byte[] anchoredSha256, long samples, byte[] blob) {}

  /** Accepted or excluded, with the reason in the round's metadata. */
  public sealed interface Verdict permits Accepted, Excluded {
    String participant();
  }

  public record Accepted(String participant, long samples, Map<String, float[]> weights)
      implements Verdict {}

  public record Excluded(String participant, String reason) implements Verdict {}

  /**
   * Checks {@code c} against the global model it claims to start from; {@code deltaNormMax} bounds
   * the L2 norm of (update − global) over all tensors.
   */
  public static Verdict check(
      Candidate c, Map<String, float[]> global, Map<String, long[]> shapes, double deltaNormMax) {
    if (c.blob() == null) {
      return new Excluded(c.participant(), "missing");
    }
    if (!MessageDigest.isEqual(WeightsBlob.sha256(c.blob()), c.anchoredSha256())) {
      return new Excluded(c.participant(), "hash_mismatch");
    }
    if (c.samples() < 1 || c.samples() > SAMPLES_MAX) {
      return new Excluded(c.participant(), "bad_samples");
    }
    Map<String, float[]> w;
    try {
      w = WeightsBlob.decode(c.blob(), shapes);
    } catch (WeightsBlob.BadBlobException e) {
      return new Excluded(c.participant(), "malformed");
    }
    double sq = 0;
    for (var e : w.entrySet()) {
      float[] g = global.get(e.getKey());
      float[] u = e.getValue();
      for (int i = 0; i < u.length; i++) {
        if (!Float.isFinite(u[i])) {
          return new Excluded(c.participant(), "non_finite");
        }
        double d = (double) u[i] - g[i];
        sq += d * d;
      }
    }
    if (!(Math.sqrt(sq) <= deltaNormMax)) {
      return new Excluded(c.participant(), "norm");
    }
    return new Accepted(c.participant(), c.samples(), w);
  }
}
