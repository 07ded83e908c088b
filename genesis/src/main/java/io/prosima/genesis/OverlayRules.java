package io.prosima.genesis;

import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.OverlayEdge;
import io.prosima.proto.v1.Validator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.BiconnectivityInspector;
import org.jgrapht.alg.connectivity.ConnectivityInspector;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleGraph;

/** Genesis checks of the overlay: known endpoints, connected, no cut vertex, matching weights. */
final class OverlayRules {
  static final String DEGREE = "degree";
  static final String EQUAL = "equal";

  private OverlayRules() {}

  /** Null when the overlay is acceptable, else what is wrong. */
  static String problem(Genesis g) {
    Graph<String, DefaultEdge> graph = new SimpleGraph<>(DefaultEdge.class);
    List<String> names = new ArrayList<>();
    for (Validator v : g.getValidatorsList()) {
      graph.addVertex(v.getName());
      names.add(v.getName());
    }
    Set<String> seen = new HashSet<>();
    for (OverlayEdge e : g.getOverlayList()) {
      if (!graph.containsVertex(e.getA()) || !graph.containsVertex(e.getB())) {
        return "overlay edge " + e.getA() + "-" + e.getB() + " names an unknown validator";
      }
      if (e.getA().equals(e.getB())) {
        return "overlay edge " + e.getA() + "-" + e.getB() + " is a self-loop";
      }
      String key =
          e.getA().compareTo(e.getB()) < 0
              ? e.getA() + "\0" + e.getB()
              : e.getB() + "\0" + e.getA();
      if (!seen.add(key)) {
        return "overlay edge " + e.getA() + "-" + e.getB() + " is listed twice";
      }
      graph.addEdge(e.getA(), e.getB());
    }
    if (!new ConnectivityInspector<>(graph).isConnected()) {
      return "overlay is disconnected";
    }
    if (names.size() >= 3) {
      Set<String> cuts = new BiconnectivityInspector<>(graph).getCutpoints();
      if (!cuts.isEmpty()) {
        return "removing validator "
            + cuts.stream().sorted().findFirst().get()
            + " would disconnect the overlay";
      }
    }
    switch (g.getWeighting()) {
      case EQUAL -> {
        for (Validator v : g.getValidatorsList()) {
          if (v.getVotingWeight() != 1) {
            return "weighting is equal but "
                + v.getName()
                + " has voting weight "
                + v.getVotingWeight();
          }
        }
      }
      case DEGREE -> {
        Map<String, Long> expected =
            OverlayTopology.degreeWeights(OverlayTopology.degrees(names, g.getOverlayList()));
        for (Validator v : g.getValidatorsList()) {
          if (v.getVotingWeight() != expected.get(v.getName())) {
            return "weighting is degree but "
                + v.getName()
                + " has voting weight "
                + v.getVotingWeight()
                + " instead of "
                + expected.get(v.getName());
          }
        }
      }
      default -> {
        return "weighting must be 'degree' or 'equal'";
      }
    }
    return null;
  }
}
