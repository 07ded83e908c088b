package io.prosima.imaging.federated;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Federated averaging (McMahan et al. 2017): the new global weight is the mean of the accepted
 * updates' weights, each weighted by its sample count. Sums run in double and in the given order,
 * so the same updates give the same bytes on every machine.
 */
public final class FedAvg {
  private FedAvg() {}

  public static Map<String, float[]> average(List<UpdateCheck.Accepted> updates) {
    if (updates.isEmpty()) {
      throw new IllegalArgumentException("FedAvg of no updates");
    }
    long total = 0;
    for (UpdateCheck.Accepted u : updates) {
      if (u.samples() < 1) {
        throw new IllegalArgumentException("an update without samples");
      }
      total += u.samples();
    }
    Map<String, float[]> first = updates.get(0).weights();
    Map<String, float[]> out = new LinkedHashMap<>();
    for (var e : first.entrySet()) {
      int n = e.getValue().length;
      double[] sum = new double[n];
      for (UpdateCheck.Accepted u : updates) {
        float[] w = u.weights().get(e.getKey());
        if (w == null || w.length != n) {
          throw new IllegalArgumentException("updates disagree on tensor " + e.getKey());
        }
        double f = (double) u.samples() / total;
        for (int i = 0; i < n; i++) {
          sum[i] += f * w[i];
        }
      }
      float[] avg = new float[n];
      for (int i = 0; i < n; i++) {
        avg[i] = (float) sum[i];
      }
      out.put(e.getKey(), avg);
    }
    if (out.size() != first.size()) {
      throw new IllegalStateException("lost tensors");
    }
    for (UpdateCheck.Accepted u : updates) {
      if (u.weights().size() != first.size()) {
        throw new IllegalArgumentException("updates disagree on the set of tensors");
      }
    }
    return out;
  }
}
