package io.ivsanalytics.reports;

import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Shared aggregation helpers: the reports' row order, counts, rates and percentiles. */
final class Agg {
  /** The total row's channel_type. */
  static final String ALL = "ALL";

  /** Channel types sorted by name; a missing channel type (null) after the named ones. */
  static final Comparator<String> CHANNEL_TYPE_ORDER =
      Comparator.nullsLast(Comparator.naturalOrder());

  /** Number of rows where {@code condition} is true (null counts as false). */
  static Column countIf(Column condition) {
    return sum(when(condition, lit(1L)).otherwise(lit(0L)));
  }

  /**
   * Exact nearest-rank percentile: the smallest value v such that at least {@code p} of the
   * non-null values are {@code <= v} (SQL {@code percentile_disc}; DuckDB {@code quantile_disc}).
   */
  static Column percentileDisc(double p, String column) {
    return expr(
        String.format(Locale.ROOT, "percentile_disc(%s) WITHIN GROUP (ORDER BY %s)", p, column));
  }

  /** {@code part / whole}, or null (an empty cell) when {@code whole} is 0. */
  static Double rate(long part, long whole) {
    return whole == 0 ? null : (double) part / whole;
  }

  static Long asLong(Object v) {
    return v == null ? null : ((Number) v).longValue();
  }

  static long orZero(Object v) {
    return v == null ? 0L : ((Number) v).longValue();
  }

  /** Collects a small aggregate keyed by its first column (a channel type, may be null). */
  static Map<String, Row> byChannelType(Dataset<Row> aggregated) {
    Map<String, Row> out = new TreeMap<>(CHANNEL_TYPE_ORDER);
    for (Row r : aggregated.collectAsList()) {
      out.put(r.getString(0), r);
    }
    return out;
  }

  /**
   * Aggregates per channel_type and over everything (a rollup), returning the aggregate values
   * (without the key) per channel type in report order, then {@link #ALL} last; ALL is present even
   * when there are no rows.
   */
  static java.util.LinkedHashMap<String, Row> rollupByChannelType(
      Dataset<Row> rows, Column... aggs) {
    Column type = org.apache.spark.sql.functions.col("channel_type");
    Column[] rest = new Column[aggs.length];
    System.arraycopy(aggs, 0, rest, 0, aggs.length);
    List<Row> groups =
        rows.rollup(type)
            .agg(org.apache.spark.sql.functions.grouping_id(type), rest)
            .collectAsList();
    Map<String, Row> perType = new TreeMap<>(CHANNEL_TYPE_ORDER);
    Row all = null;
    for (Row g : groups) {
      Object[] values = new Object[aggs.length];
      for (int i = 0; i < aggs.length; i++) {
        values[i] = g.get(i + 2);
      }
      Row v = org.apache.spark.sql.RowFactory.create(values);
      if (((Number) g.get(1)).intValue() == 1) {
        all = v;
      } else {
        perType.put(g.getString(0), v);
      }
    }
    java.util.LinkedHashMap<String, Row> out = new java.util.LinkedHashMap<>(perType);
    out.put(ALL, all);
    return out;
  }

  private Agg() {}
}
