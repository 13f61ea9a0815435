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
 * multitrack_adoption.csv: per channel type, then ALL: sessions on channels with multitrack enabled
 * (and with policy REQUIRED), and sessions that actually sent more than one video track.
 * adoption_rate = multitrack_sessions / sessions.
 */
public final class MultitrackAdoptionReport {
  public static final String FILE = ReportCatalog.MULTITRACK_ADOPTION;
  public static final List<String> COLUMNS =
      List.of(
          "channel_type",
          "sessions",
          "multitrack_enabled_sessions",
          "multitrack_required_sessions",
          "multitrack_sessions",
          "adoption_rate",
          "max_video_tracks");

  /**
   * @param sessions channel_type, multitrack_enabled, multitrack_policy, video_track_count
   */
  public static ReportTable compute(Dataset<Row> sessions) {
    List<List<Object>> rows = new ArrayList<>();
    Agg.rollupByChannelType(
            sessions,
            count(lit(1)),
            countIf(col("multitrack_enabled").equalTo(true)),
            countIf(
                col("multitrack_enabled")
                    .equalTo(true)
                    .and(col("multitrack_policy").equalTo("REQUIRED"))),
            countIf(col("video_track_count").gt(1)),
            max(col("video_track_count")))
        .forEach(
            (type, g) -> {
              long n = g == null ? 0 : Agg.orZero(g.get(0));
              long multi = g == null ? 0 : Agg.orZero(g.get(3));
              List<Object> r = new ArrayList<>();
              r.add(type);
              r.add(n);
              r.add(g == null ? 0L : Agg.orZero(g.get(1)));
              r.add(g == null ? 0L : Agg.orZero(g.get(2)));
              r.add(multi);
              r.add(Agg.rate(multi, n));
              r.add(g == null ? null : Agg.asLong(g.get(4)));
              rows.add(r);
            });
    return new ReportTable(FILE, COLUMNS, rows);
  }

  private MultitrackAdoptionReport() {}
}
