package io.prosima.genesis;

import io.prosima.proto.v1.Genesis;
import io.prosima.proto.v1.OverlayEdge;
import io.prosima.proto.v1.Validator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jgrapht.Graph;
import org.jgrapht.generate.BarabasiAlbertGraphGenerator;
import org.jgrapht.generate.CompleteGraphGenerator;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleGraph;

/**
 * Builds the validators' P2P overlay: a Barabási–Albert graph per region (JGraphT, seeded, so every
 * genesis tool gets the same graph), joined region to region in a ring by two links between their
 * highest-degree nodes ("hubs"). Each new BA node attaches with two edges, which keeps a region
 * free of cut vertices; two disjoint links between neighbouring regions keep the whole overlay so.
 * {@link OverlayRules} checks the result either way.
 */
public final class OverlayTopology {
  /** Edges each new node brings in the Barabási–Albert process. */
  static final int BA_EDGES_PER_NODE = 2;

  /** Size of the complete seed graph the process starts from. */
  static final int BA_SEED_NODES = 3;

  private OverlayTopology() {}

  /**
   * @param regionOf validator name → region, in genesis order
   * @param seed the genesis topology seed
   */
  public static List<OverlayEdge> build(Map<String, String> regionOf, long seed) {
    Map<String, List<String>> byRegion = new TreeMap<>();
    regionOf.forEach(
        (name, region) -> byRegion.computeIfAbsent(region, r -> new ArrayList<>()).add(name));
    Graph<String, DefaultEdge> overlay = new SimpleGraph<>(DefaultEdge.class);
    regionOf.keySet().forEach(overlay::addVertex);
    List<List<String>> hubs = new ArrayList<>();
    int regionIndex = 0;
    for (List<String> members : byRegion.values()) {
      Graph<String, DefaultEdge> region =
          regionGraph(members, new Random(seed * 31 + regionIndex++));
      region
          .edgeSet()
          .forEach(e -> overlay.addEdge(region.getEdgeSource(e), region.getEdgeTarget(e)));
      hubs.add(topTwoByDegree(region, members));
    }
    if (hubs.size() >= 2) {
      // A ring of regions (a single pair when there are two), two links per neighbouring pair.
      int pairs = hubs.size() == 2 ? 1 : hubs.size();
      for (int i = 0; i < pairs; i++) {
        List<String> a = hubs.get(i);
        List<String> b = hubs.get((i + 1) % hubs.size());
        overlay.addEdge(a.get(0), b.get(0));
        overlay.addEdge(a.get(a.size() - 1), b.get(b.size() - 1));
      }
    }
    List<OverlayEdge> edges = new ArrayList<>();
    for (DefaultEdge e : overlay.edgeSet()) {
      String x = overlay.getEdgeSource(e);
      String y = overlay.getEdgeTarget(e);
      edges.add(
          OverlayEdge.newBuilder()
              .setA(x.compareTo(y) < 0 ? x : y)
              .setB(x.compareTo(y) < 0 ? y : x)
              .build());
    }
    edges.sort(Comparator.comparing(OverlayEdge::getA).thenComparing(OverlayEdge::getB));
    return edges;
  }

  private static Graph<String, DefaultEdge> regionGraph(List<String> members, Random random) {
    Graph<String, DefaultEdge> g =
        new SimpleGraph<>(vertexSupplier(members), DefaultEdge::new, false);
    int n = members.size();
    if (n <= BA_SEED_NODES) {
      new CompleteGraphGenerator<String, DefaultEdge>(n).generateGraph(g);
    } else {
      new BarabasiAlbertGraphGenerator<String, DefaultEdge>(
              BA_SEED_NODES, BA_EDGES_PER_NODE, n, random)
          .generateGraph(g);
    }
    return g;
  }

  /** Hands out the region's validator names in order, so BA node i is validator i. */
  private static Supplier<String> vertexSupplier(List<String> members) {
    var it = members.iterator();
    return it::next;
  }

  private static List<String> topTwoByDegree(Graph<String, DefaultEdge> g, List<String> members) {
    List<String> sorted = new ArrayList<>(members);
    sorted.sort(Comparator.comparingInt((String v) -> -g.degreeOf(v)).thenComparing(v -> v));
    return sorted.subList(0, Math.min(2, sorted.size()));
  }

  /** The validators joined to {@code name} by an overlay edge of this genesis. */
  public static List<Validator> neighbours(Genesis genesis, String name) {
    Map<String, Validator> byName = new LinkedHashMap<>();
    genesis.getValidatorsList().forEach(v -> byName.put(v.getName(), v));
    List<Validator> out = new ArrayList<>();
    for (OverlayEdge e : genesis.getOverlayList()) {
      if (e.getA().equals(name)) {
        out.add(byName.get(e.getB()));
      } else if (e.getB().equals(name)) {
        out.add(byName.get(e.getA()));
      }
    }
    return out;
  }

  /** Degree of each validator in the overlay. */
  public static Map<String, Integer> degrees(Iterable<String> names, List<OverlayEdge> edges) {
    Map<String, Integer> degree = new LinkedHashMap<>();
    names.forEach(n -> degree.put(n, 0));
    for (OverlayEdge e : edges) {
      degree.merge(e.getA(), 1, Integer::sum);
      degree.merge(e.getB(), 1, Integer::sum);
    }
    return degree;
  }

  /**
   * Voting weight = degree (at least 1), capped so that with 4 or more validators nobody holds 1/3
   * of the total: a weight w must satisfy 3w < total, i.e. 2w < the others' total. Caps are applied
   * repeatedly until stable, since capping one changes the total the others are measured against.
   */
  public static Map<String, Long> degreeWeights(Map<String, Integer> degrees) {
    Map<String, Long> w = new LinkedHashMap<>();
    degrees.forEach((name, d) -> w.put(name, (long) Math.max(1, d)));
    if (w.size() < 4) {
      return w;
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      long total = w.values().stream().mapToLong(Long::longValue).sum();
      for (Map.Entry<String, Long> e : w.entrySet()) {
        long others = total - e.getValue();
        long max = (others - 1) / 2;
        if (e.getValue() > max) {
          e.setValue(Math.max(1, max));
          total = others + e.getValue();
          changed = true;
        }
      }
    }
    return w;
  }
}
