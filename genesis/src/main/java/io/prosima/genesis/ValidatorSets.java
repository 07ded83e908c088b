package io.prosima.genesis;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.OverlayEdge;
import io.prosima.proto.v1.Validator;
import io.prosima.proto.v1.ValidatorEpoch;
import io.prosima.proto.v1.ValidatorHistory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The validator set as a function of height: the genesis set from height 1, then one epoch per
 * validator change applied on chain (kept in state as a {@link ValidatorHistory}). A change
 * committed at height c takes effect at c + {@link #ACTIVATION_DELAY_HEIGHTS} on every node, so the
 * set of every height a node may be asked about (its next height and the few after it whose
 * messages it buffers) is already fixed by its committed state. Old epochs are kept so that the
 * commit certificate of any block still verifies against the set that signed it.
 *
 * <p>Immutable.
 */
public final class ValidatorSets {
  /**
   * A change committed at height c is in force from c + this. It must exceed the heights ahead
   * whose messages a node checks and buffers (BftCore.HEIGHTS_AHEAD_MAX, checked by a test), so no
   * node ever checks a message against a set it cannot know yet.
   */
  public static final long ACTIVATION_DELAY_HEIGHTS = 4;

  /** One set and the first height it signs. */
  public record Epoch(
      long fromHeight,
      long changedAtHeight,
      List<Validator> validators,
      List<OverlayEdge> overlay,
      ValidatorSet set) {
    public Epoch {
      validators = List.copyOf(validators);
      overlay = List.copyOf(overlay);
    }
  }

  private final List<Epoch> epochs;

  private ValidatorSets(List<Epoch> epochs) {
    this.epochs = Collections.unmodifiableList(epochs);
  }

  /** Only the genesis set. */
  public static ValidatorSets genesisOnly(Genesis genesis) {
    return of(genesis, ValidatorHistory.getDefaultInstance());
  }

  /** The genesis set followed by the epochs of {@code history} (oldest first). */
  public static ValidatorSets of(Genesis genesis, ValidatorHistory history) {
    List<Epoch> epochs = new ArrayList<>();
    epochs.add(
        new Epoch(
            1,
            0,
            genesis.getValidatorsList(),
            genesis.getOverlayList(),
            new ValidatorSet(genesis)));
    for (ValidatorEpoch e : history.getEpochsList()) {
      long previous = epochs.get(epochs.size() - 1).fromHeight();
      // Written only by the executor, which appends in height order.
      if (e.getFromHeight() <= previous) {
        throw new IllegalStateException(
            "validator history is out of order at height " + e.getFromHeight());
      }
      epochs.add(
          new Epoch(
              e.getFromHeight(),
              e.getChangedAtHeight(),
              e.getValidatorsList(),
              e.getOverlayList(),
              new ValidatorSet(e.getValidatorsList())));
    }
    return new ValidatorSets(epochs);
  }

  /** The epoch in force at {@code height} (height 0 and 1 read the genesis set). */
  public Epoch epochAt(long height) {
    for (int i = epochs.size() - 1; i > 0; i--) {
      if (height >= epochs.get(i).fromHeight()) {
        return epochs.get(i);
      }
    }
    return epochs.get(0);
  }

  /** The set that signs blocks of {@code height}. */
  public ValidatorSet at(long height) {
    return epochAt(height).set();
  }

  /** The newest epoch (possibly not in force yet). */
  public Epoch latest() {
    return epochs.get(epochs.size() - 1);
  }

  /** Every epoch, genesis first. */
  public List<Epoch> epochs() {
    return epochs;
  }

  /** How many changes were applied: the sequence number the next change must carry. */
  public long changes() {
    return epochs.size() - 1;
  }

  /** The keys of every validator in force at {@code height} or at any later known height. */
  public Set<ByteString> keysFrom(long height) {
    Set<ByteString> keys = new LinkedHashSet<>();
    Epoch current = epochAt(height);
    for (Epoch e : epochs) {
      if (e == current || e.fromHeight() > height) {
        keys.addAll(e.set().weights().keySet());
      }
    }
    return keys;
  }
}
