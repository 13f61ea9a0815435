package io.ivsanalytics.reports;

import static io.ivsanalytics.reports.Agg.countIf;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.sum;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * top_channels.csv: the channels with the most sessions in the window (at most {@link #LIMIT}),
 * with the name, type and tags of their latest session, sessions, sessions still live and hours
 * streamed by ended sessions. Tags are {@code key=value} pairs sorted by key, joined by "; ".
 */
public final class TopChannelsReport {
  public static final String FILE = ReportCatalog.TOP_CHANNELS;
  public static final int LIMIT = 20;
  public static final List<String> COLUMNS =
      List.of(
          "channel_arn",
          "channel_name",
          "channel_type",
          "tags",
          "sessions",
          "live_sessions",
          "streamed_hours");

  /**
   * @param sessions channel_arn, channel_name, channel_type, channel_tags, start_time,
   *     duration_seconds
   */
  public static ReportTable compute(Dataset<Row> sessions) {
    List<Row> top =
        sessions
            .groupBy("channel_arn")
            .agg(
                max_by(col("channel_name"), col("start_time")),
                max_by(col("channel_type"), col("start_time")),
                max_by(col("channel_tags"), col("start_time")),
                count(lit(1)).as("n"),
                countIf(col("duration_seconds").isNull()),
                sum(col("duration_seconds")))
            .orderBy(col("n").desc(), col("channel_arn").asc_nulls_last())
            .limit(LIMIT)
            .collectAsList();
    List<List<Object>> rows = new ArrayList<>();
    for (Row r : top) {
      List<Object> out = new ArrayList<>();
      out.add(r.getString(0));
      out.add(r.getString(1));
      out.add(r.getString(2));
      out.add(tags(r.isNullAt(3) ? null : r.getJavaMap(3)));
      out.add(r.getLong(4));
      out.add(Agg.orZero(r.get(5)));
      out.add(Agg.orZero(r.get(6)) / 3600.0);
      rows.add(out);
    }
    return new ReportTable(FILE, COLUMNS, rows);
  }

  static String tags(Map<String, String> tags) {
    if (tags == null || tags.isEmpty()) {
      return null;
    }
    return new TreeMap<>(tags)
        .entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("; "));
  }

  private TopChannelsReport() {}
}
