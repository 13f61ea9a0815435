package io.ivsanalytics.reports;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.grouping_id;
import static org.apache.spark.sql.functions.lit;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * daily_sessions.csv: per day (dt, the UTC start date) and channel type, then ALL for the day:
 * sessions started and distinct channels. Every day of the window has an ALL row, zero when no
 * session started that day, so the file plots as a continuous trend.
 */
public final class DailySessionsReport {
  public static final String FILE = ReportCatalog.DAILY_SESSIONS;
  public static final List<String> COLUMNS = List.of("dt", "channel_type", "sessions", "channels");

  /**
   * @param sessions dt, channel_type, channel_arn
   */
  public static ReportTable compute(Dataset<Row> sessions, ReportWindow window) {
    List<Row> groups =
        sessions
            .rollup(col("dt"), col("channel_type"))
            .agg(
                grouping_id(col("dt"), col("channel_type")),
                count(lit(1)),
                countDistinct(col("channel_arn")))
            .collectAsList();
    Map<String, Map<String, long[]>> perDay = new TreeMap<>();
    Map<String, long[]> allPerDay = new TreeMap<>();
    for (LocalDate d : window.dates()) {
      perDay.put(d.toString(), new TreeMap<>(Agg.CHANNEL_TYPE_ORDER));
      allPerDay.put(d.toString(), new long[2]);
    }
    for (Row g : groups) {
      int gid = ((Number) g.get(2)).intValue();
      if (gid == 3) {
        continue;
      }
      String dt = g.getString(0);
      long[] v = {g.getLong(3), g.getLong(4)};
      if (gid == 1) {
        allPerDay.put(dt, v);
      } else {
        perDay
            .computeIfAbsent(dt, k -> new TreeMap<>(Agg.CHANNEL_TYPE_ORDER))
            .put(g.getString(1), v);
        allPerDay.putIfAbsent(dt, new long[2]);
      }
    }
    List<List<Object>> rows = new ArrayList<>();
    allPerDay.forEach(
        (dt, all) -> {
          perDay
              .getOrDefault(dt, Map.of())
              .forEach((type, v) -> rows.add(Arrays.asList(dt, type, v[0], v[1])));
          rows.add(Arrays.asList(dt, Agg.ALL, all[0], all[1]));
        });
    return new ReportTable(FILE, COLUMNS, rows);
  }

  private DailySessionsReport() {}
}
