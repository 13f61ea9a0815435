package io.ivsanalytics.reports;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * error_events.csv: events that signal a problem, per channel type, name and code, then the same
 * per name and code over all channel types (ALL). A problem event is one whose name ends in
 * "Failure" (Stream Takeover Failure, Recording Start Failure, ...), a "Starvation Start" (the
 * encoder stopped sending media), or any event carrying a code.
 */
public final class ErrorEventsReport {
  public static final String FILE = ReportCatalog.ERROR_EVENTS;
  public static final List<String> COLUMNS =
      List.of("channel_type", "name", "code", "events", "sessions");

  private static final Comparator<String> NULLS_LAST =
      Comparator.nullsLast(Comparator.naturalOrder());
  private static final Comparator<List<String>> KEY_ORDER =
      Comparator.<List<String>, String>comparing(k -> k.get(0), NULLS_LAST)
          .thenComparing(k -> k.get(1), NULLS_LAST)
          .thenComparing(k -> k.get(2), NULLS_LAST);

  static Column isProblem() {
    Column name = col("name");
    return name.endsWith("Failure")
        .or(name.equalTo("Starvation Start"))
        .or(col("code").isNotNull().and(col("code").notEqual("")));
  }

  /**
   * @param events channel_type, channel_arn, stream_id, name, code
   */
  public static ReportTable compute(Dataset<Row> events) {
    List<Row> groups =
        events
            .where(isProblem())
            .groupBy("channel_type", "name", "code")
            .agg(count(lit(1)), countDistinct(col("channel_arn"), col("stream_id")))
            .collectAsList();
    Map<List<String>, long[]> perType = new TreeMap<>(KEY_ORDER);
    Map<List<String>, long[]> all = new TreeMap<>(KEY_ORDER);
    for (Row g : groups) {
      long[] v = {g.getLong(3), g.getLong(4)};
      perType.put(Arrays.asList(g.getString(0), g.getString(1), g.getString(2)), v);
      long[] a =
          all.computeIfAbsent(
              Arrays.asList(null, g.getString(1), g.getString(2)), k -> new long[2]);
      a[0] += v[0];
      a[1] += v[1];
    }
    List<List<Object>> rows = new ArrayList<>();
    perType.forEach((k, v) -> rows.add(Arrays.asList(k.get(0), k.get(1), k.get(2), v[0], v[1])));
    all.forEach((k, v) -> rows.add(Arrays.asList(Agg.ALL, k.get(1), k.get(2), v[0], v[1])));
    return new ReportTable(FILE, COLUMNS, rows);
  }

  private ErrorEventsReport() {}
}
