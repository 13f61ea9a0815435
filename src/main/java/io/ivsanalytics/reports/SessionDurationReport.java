package io.ivsanalytics.reports;

import static io.ivsanalytics.reports.Agg.countIf;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * session_duration_percentiles.csv: per channel type, then ALL. Durations of ended sessions (exact
 * nearest-rank percentiles); sessions still live at fetch time have no duration and are counted in
 * live_sessions.
 */
public final class SessionDurationReport {
  public static final String FILE = ReportCatalog.SESSION_DURATION_PERCENTILES;
  public static final List<String> COLUMNS =
      List.of(
          "channel_type",
          "sessions",
          "ended_sessions",
          "live_sessions",
          "p50_duration_seconds",
          "p90_duration_seconds",
          "p99_duration_seconds",
          "max_duration_seconds");

  /**
   * @param sessions channel_type, duration_seconds, is_live
   */
  public static ReportTable compute(Dataset<Row> sessions) {
    List<List<Object>> rows = new ArrayList<>();
    Agg.rollupByChannelType(
            sessions,
            count(lit(1)),
            count(col("duration_seconds")),
            countIf(col("is_live").equalTo(true).or(col("duration_seconds").isNull())),
            Agg.percentileDisc(0.5, "duration_seconds"),
            Agg.percentileDisc(0.9, "duration_seconds"),
            Agg.percentileDisc(0.99, "duration_seconds"),
            max(col("duration_seconds")))
        .forEach(
            (type, g) -> {
              List<Object> r = new ArrayList<>();
              r.add(type);
              for (int i = 0; i < 3; i++) {
                r.add(g == null ? 0L : Agg.orZero(g.get(i)));
              }
              for (int i = 3; i < 7; i++) {
                r.add(g == null ? null : Agg.asLong(g.get(i)));
              }
              rows.add(r);
            });
    return new ReportTable(FILE, COLUMNS, rows);
  }

  private SessionDurationReport() {}
}
