package io.ivsanalytics.reports;

import static io.ivsanalytics.reports.Agg.countIf;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * weekly_trends.csv: per ISO week (Monday to Sunday, UTC) and channel type, then ALL for the week,
 * over the {@link #WEEKS} weeks up to the report's {@code to} (the last week ends at {@code to}, so
 * it may be partial): sessions, takeover attempts, failures and failure_rate, evaluated video
 * tracks (types with limits), conformant tracks and conformance_rate. Only weeks the lake holds
 * rows for are listed.
 */
public final class WeeklyTrendsReport {
  public static final String FILE = ReportCatalog.WEEKLY_TRENDS;
  public static final int WEEKS = ReportCatalog.TREND_WEEKS;
  public static final List<String> COLUMNS =
      List.of(
          "week",
          "week_start",
          "channel_type",
          "sessions",
          "takeover_attempts",
          "takeover_failures",
          "failure_rate",
          "evaluated_video_tracks",
          "conformant_tracks",
          "conformance_rate");

  /**
   * The first day of the trend: the Monday {@link #WEEKS} - 1 weeks before the week of the window's
   * last day.
   */
  public static LocalDate firstDay(ReportWindow window) {
    return window
        .lastDay()
        .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
        .minusWeeks(WEEKS - 1L);
  }

  /** "2024-W19". */
  public static String isoWeek(LocalDate monday) {
    return String.format(
        Locale.ROOT,
        "%d-W%02d",
        monday.get(IsoFields.WEEK_BASED_YEAR),
        monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
  }

  /**
   * @param sessions dt, channel_type
   * @param events dt, channel_type, name (takeover events suffice)
   * @param tracks dt, channel_type, media and the checked columns
   */
  public static ReportTable compute(
      Dataset<Row> sessions, Dataset<Row> events, Dataset<Row> tracks, BitrateLimits limits) {
    // week start -> channel type -> sessions, attempts, failures, evaluated, conformant
    Map<LocalDate, Map<String, long[]>> weeks = new TreeMap<>();
    for (Row r : sessions.groupBy("dt", "channel_type").agg(count(lit(1))).collectAsList()) {
      add(weeks, r, 0, r.getLong(2));
    }
    Column failure = col("name").equalTo(TakeoverFailureReport.TAKEOVER_FAILURE);
    for (Row r :
        events
            .where(
                col("name")
                    .isin(TakeoverFailureReport.TAKEOVER, TakeoverFailureReport.TAKEOVER_FAILURE))
            .groupBy("dt", "channel_type")
            .agg(count(lit(1)), countIf(failure))
            .collectAsList()) {
      add(weeks, r, 1, r.getLong(2));
      add(weeks, r, 2, r.getLong(3));
    }
    BitrateConformanceReport.Checks c = BitrateConformanceReport.checks(limits);
    for (Row r :
        tracks
            .where(col("media").equalTo("video"))
            .groupBy("dt", "channel_type")
            .agg(countIf(c.evaluated()), countIf(c.conformant()))
            .collectAsList()) {
      add(weeks, r, 3, r.getLong(2));
      add(weeks, r, 4, r.getLong(3));
    }
    List<List<Object>> rows = new ArrayList<>();
    weeks.forEach(
        (monday, types) -> {
          long[] all = new long[5];
          types.forEach(
              (type, v) -> {
                rows.add(row(monday, type, v));
                for (int i = 0; i < 5; i++) {
                  all[i] += v[i];
                }
              });
          rows.add(row(monday, Agg.ALL, all));
        });
    return new ReportTable(FILE, COLUMNS, rows);
  }

  private static void add(Map<LocalDate, Map<String, long[]>> weeks, Row r, int index, long value) {
    LocalDate monday =
        LocalDate.parse(r.getString(0)).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    weeks.computeIfAbsent(monday, k -> new TreeMap<>(Agg.CHANNEL_TYPE_ORDER))
            .computeIfAbsent(r.getString(1), k -> new long[5])[index] +=
        value;
  }

  private static List<Object> row(LocalDate monday, String type, long[] v) {
    return Arrays.asList(
        isoWeek(monday),
        monday.toString(),
        type,
        v[0],
        v[1],
        v[2],
        Agg.rate(v[2], v[1]),
        v[3],
        v[4],
        Agg.rate(v[4], v[3]));
  }

  private WeeklyTrendsReport() {}
}
