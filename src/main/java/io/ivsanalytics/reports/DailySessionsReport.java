package io.ivsanalytics.reports;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * daily_sessions.csv: per day (dt, the UTC start date) and channel type, then ALL for the day:
 * sessions started and distinct channels. Every day of the window has an ALL row, zero when no
 * session started that day, so the file plots as a continuous trend.
 */
public final class DailySessionsReport {
  public static final String FILE = ReportCatalog.DAILY_SESSIONS;
  public static final List<String> COLUMNS = List.of("dt", "channel_type", "sessions", "channels");

  /**
   * @param daily the window's sessions per day, then channel type
   */
  static ReportTable compute(Map<String, Map<String, Tally.OfNames>> daily, ReportWindow window) {
    Map<String, Map<String, Tally.OfNames>> perDay = new TreeMap<>();
    for (LocalDate d : window.dates()) {
      perDay.put(d.toString(), new TreeMap<>(Agg.CHANNEL_TYPE_ORDER));
    }
    daily.forEach(
        (dt, types) ->
            perDay.computeIfAbsent(dt, k -> new TreeMap<>(Agg.CHANNEL_TYPE_ORDER)).putAll(types));
    List<List<Object>> rows = new ArrayList<>();
    perDay.forEach(
        (dt, types) -> {
          long sessions = 0;
          Set<String> channels = new HashSet<>();
          for (Map.Entry<String, Tally.OfNames> e : types.entrySet()) {
            Tally.OfNames v = e.getValue();
            rows.add(Arrays.<Object>asList(dt, e.getKey(), v.rows, (long) v.names.size()));
            sessions += v.rows;
            channels.addAll(v.names);
          }
          rows.add(Arrays.<Object>asList(dt, Agg.ALL, sessions, (long) channels.size()));
        });
    return new ReportTable(FILE, COLUMNS, rows);
  }

  private DailySessionsReport() {}
}
