package io.prosima.genesis;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.Validator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validators of a chain at one height and their voting weights: the genesis set, or a set a
 * validator change put in force (see {@link ValidatorSets}).
 */
public final class ValidatorSet {
  private final Map<ByteString, Validator> byKey;
  private final Map<ByteString, Long> weights;
  private final long totalWeight;

  public ValidatorSet(Genesis genesis) {
    this(genesis.getValidatorsList());
  }

  /** The set of {@code validators}, in their order (certificates list signatures in it). */
  public ValidatorSet(List<Validator> validators) {
    Map<ByteString, Validator> keys = new LinkedHashMap<>();
    Map<ByteString, Long> w = new LinkedHashMap<>();
    long total = 0;
    for (Validator v : validators) {
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

  /** The validators, in set order. */
  public List<Validator> validators() {
    return List.copyOf(byKey.values());
  }

  public int size() {
    return byKey.size();
  }

  /** True when {@code weight} is more than 2/3 of the total (integer arithmetic, no rounding). */
  public boolean isQuorum(long weight) {
    return 3 * weight > 2 * totalWeight;
  }
}
