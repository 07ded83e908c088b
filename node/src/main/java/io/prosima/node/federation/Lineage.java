package io.prosima.node.federation;

import com.google.protobuf.ByteString;
import io.prosima.proto.v1.ModelAnchor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The lineage check of a federated global model, one rule for the node that loads a model and for
 * the auditor who walks it: every model in the lineage is anchored on chain with a 32-byte weights
 * hash, every parent it names is anchored, the walk ends at an anchored root (a model without
 * parents), and every federated global model {@code gN+1} was anchored by a participant the
 * takeover rule entitled to aggregate round N at that height ({@link AggregatorCheck}). Whether the
 * loaded bytes hash to the anchor is checked by the loader against {@link Node#anchor()}.
 */
public final class Lineage {
  /** Models visited at most (a lineage of hundreds of rounds of 16 updates fits). */
  public static final int MODELS_MAX = 20_000;

  private Lineage() {}

  /** How the walk reads the chain: the anchor of "model_id@version", if anchored. */
  public interface Chain {
    Optional<Anchored> anchor(String ref);
  }

  /** An anchored model: its anchor, the height it committed at and the key that signed it. */
  public record Anchored(ModelAnchor anchor, long height, ByteString signer) {
    /** An anchor whose signer does not matter (only federated globals from round 1 check it). */
    public Anchored(ModelAnchor anchor, long height) {
      this(anchor, height, ByteString.EMPTY);
    }
  }

  /** One model of the lineage, in walk order (the checked model first). */
  public record Node(String ref, Anchored anchored) {
    public ModelAnchor anchor() {
      return anchored.anchor();
    }
  }

  /** The walk's result: {@code problem} is null when the lineage checks. */
  public record Result(List<Node> nodes, String problem) {
    public boolean ok() {
      return problem == null;
    }
  }

  public static Result walk(String ref, Chain chain) {
    List<Node> nodes = new ArrayList<>();
    Deque<String> todo = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    todo.add(ref);
    seen.add(ref);
    while (!todo.isEmpty()) {
      String r = todo.poll();
      Optional<Anchored> a = chain.anchor(r);
      if (a.isEmpty()) {
        return new Result(nodes, r + " is not anchored");
      }
      ModelAnchor m = a.get().anchor();
      if (!(m.getModelId() + "@" + m.getVersion()).equals(r)) {
        return new Result(nodes, "the chain answered another model for " + r);
      }
      if (m.getWeightsSha256().size() != 32) {
        return new Result(nodes, r + " has no 32-byte weights hash");
      }
      String notEntitled = AggregatorCheck.problem(r, a.get(), chain);
      if (notEntitled != null) {
        return new Result(nodes, notEntitled);
      }
      nodes.add(new Node(r, a.get()));
      for (String parent : m.getParentsList()) {
        Optional<Anchored> p = chain.anchor(parent);
        if (p.isEmpty()) {
          return new Result(nodes, r + " names parent " + parent + ", which is not anchored");
        }
        if (p.get().height() > a.get().height()) {
          return new Result(nodes, r + " names parent " + parent + ", anchored after it");
        }
        if (seen.add(parent)) {
          if (seen.size() > MODELS_MAX) {
            return new Result(nodes, "lineage above " + MODELS_MAX + " models");
          }
          todo.add(parent);
        }
      }
    }
    return new Result(nodes, null);
  }
}
