package io.prosima.genesis;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.Validator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The validators of a chain and their voting weights, as fixed by genesis. */
public final class ValidatorSet {
  private final Map<ByteString, Validator> byKey;
  private final Map<ByteString, Long> weights;
  private final long totalWeight;

  public ValidatorSet(Genesis genesis) {
    Map<ByteString, Validator> keys = new LinkedHashMap<>();
    Map<ByteString, Long> w = new LinkedHashMap<>();
    long total = 0;
    for (Validator v : genesis.getValidatorsList()) {
      keys.put(v.getPublicKey(), v);
      w.put(v.getPublicKey(), v.getVotingWeight());
      total += v.getVotingWeight();
    }
    this.byKey = Collections.unmodifiableMap(keys);
    this.weights = Collections.unmodifiableMap(w);
    this.totalWeight = total;
  }

  public Optional<Validator> get(ByteString key) {
    return Optional.ofNullable(byKey.get(key));
  }

  public Map<ByteString, Long> weights() {
    return weights;
  }

  public long totalWeight() {
    return totalWeight;
  }

  public int size() {
    return byKey.size();
  }

  /** True when {@code weight} is more than 2/3 of the total (integer arithmetic, no rounding). */
  public boolean isQuorum(long weight) {
    return 3 * weight > 2 * totalWeight;
  }
}
