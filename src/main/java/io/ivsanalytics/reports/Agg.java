package io.ivsanalytics.reports;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Shared report helpers: the reports' row order, rates and nullable numbers. */
final class Agg {
  /** The total row's channel_type. */
  static final String ALL = "ALL";

  /** Channel types sorted by name; a missing channel type (null) after the named ones. */
  static final Comparator<String> CHANNEL_TYPE_ORDER =
      Comparator.nullsLast(Comparator.naturalOrder());

  /** Adds {@code b} into {@code a}, element by element; returns {@code a}. */
  static long[] addInto(long[] a, long[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
    return a;
  }

  /** The values per channel type in report order, then {@code all} as {@link #ALL}. */
  static <T> LinkedHashMap<String, T> withAll(Map<String, T> perType, T all) {
    Map<String, T> sorted = new TreeMap<>(CHANNEL_TYPE_ORDER);
    sorted.putAll(perType);
    LinkedHashMap<String, T> out = new LinkedHashMap<>(sorted);
    out.put(ALL, all);
    return out;
  }

  /** {@code part / whole}, or null (an empty cell) when {@code whole} is 0. */
  static Double rate(long part, long whole) {
    return whole == 0 ? null : (double) part / whole;
  }

  private Agg() {}
}
