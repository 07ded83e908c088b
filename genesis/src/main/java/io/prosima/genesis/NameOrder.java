package io.prosima.genesis;

import java.util.Comparator;

/**
 * The order genesis lists validators, clients and regions in: names compared run by run, digit runs
 * by their number, so validator-2 comes before validator-10 (and `genesis init`'s numbered names
 * keep their order). Names equal under that rule (validator-01, validator-1) fall back to plain
 * string order, so the order is total and the same on every site.
 */
final class NameOrder implements Comparator<String> {
  static final NameOrder INSTANCE = new NameOrder();

  private NameOrder() {}

  @Override
  public int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char ca = a.charAt(i);
      char cb = b.charAt(j);
      if (isDigit(ca) && isDigit(cb)) {
        int ei = runEnd(a, i);
        int ej = runEnd(b, j);
        int c = compareNumbers(a.substring(i, ei), b.substring(j, ej));
        if (c != 0) {
          return c;
        }
        i = ei;
        j = ej;
      } else {
        if (ca != cb) {
          return Character.compare(ca, cb);
        }
        i++;
        j++;
      }
    }
    int c = Integer.compare(a.length() - i, b.length() - j);
    return c != 0 ? c : a.compareTo(b);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int runEnd(String s, int from) {
    int k = from;
    while (k < s.length() && isDigit(s.charAt(k))) {
      k++;
    }
    return k;
  }

  /** Compares two digit strings by value without overflow: strip leading zeros, then length. */
  private static int compareNumbers(String x, String y) {
    String a = x.replaceFirst("^0+(?=.)", "");
    String b = y.replaceFirst("^0+(?=.)", "");
    int c = Integer.compare(a.length(), b.length());
    return c != 0 ? c : a.compareTo(b);
  }
}
