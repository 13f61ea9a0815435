package io.ivsanalytics.reports;

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
   * @param sessions sessions per (dt, channel_type) over the trend's days
   * @param takeovers takeover attempts and failures per (dt, channel_type)
   * @param tracks evaluated and conformant video tracks per (dt, channel_type)
   */
  static ReportTable compute(
      Map<List<String>, long[]> sessions,
      Map<List<String>, long[]> takeovers,
      Map<List<String>, long[]> tracks) {
    // week start -> channel type -> sessions, attempts, failures, evaluated, conformant
    Map<LocalDate, Map<String, long[]>> weeks = new TreeMap<>();
    add(weeks, sessions, 0);
    add(weeks, takeovers, 1);
    add(weeks, tracks, 3);
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

  /** Adds per-day values into their week, from column {@code first} on. */
  private static void add(
      Map<LocalDate, Map<String, long[]>> weeks, Map<List<String>, long[]> perDay, int first) {
    perDay.forEach(
        (key, values) -> {
          LocalDate monday =
              LocalDate.parse(key.get(0)).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
          long[] v =
              weeks
                  .computeIfAbsent(monday, k -> new TreeMap<>(Agg.CHANNEL_TYPE_ORDER))
                  .computeIfAbsent(key.get(1), k -> new long[5]);
          for (int i = 0; i < values.length; i++) {
            v[first + i] += values[i];
          }
        });
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
