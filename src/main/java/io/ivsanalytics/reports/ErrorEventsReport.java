package io.ivsanalytics.reports;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

  /** A problem event: a name ending in "Failure", "Starvation Start", or any non-empty code. */
  static boolean isProblem(String name, String code) {
    return (name != null && (name.endsWith("Failure") || name.equals("Starvation Start")))
        || (code != null && !code.isEmpty());
  }

  /**
   * @param problems problem events per (channel_type, name, code) of the window
   */
  static ReportTable compute(Map<List<String>, Tally.OfSessions> problems) {
    Map<List<String>, long[]> perType = new TreeMap<>(KEY_ORDER);
    Map<List<String>, long[]> all = new TreeMap<>(KEY_ORDER);
    problems.forEach(
        (k, p) -> {
          long[] v = {p.rows, p.sessions.size()};
          perType.put(k, v);
          long[] a = all.computeIfAbsent(Arrays.asList(null, k.get(1), k.get(2)), x -> new long[2]);
          a[0] += v[0];
          a[1] += v[1];
        });
    List<List<Object>> rows = new ArrayList<>();
    perType.forEach((k, v) -> rows.add(Arrays.asList(k.get(0), k.get(1), k.get(2), v[0], v[1])));
    all.forEach((k, v) -> rows.add(Arrays.asList(Agg.ALL, k.get(1), k.get(2), v[0], v[1])));
    return new ReportTable(FILE, COLUMNS, rows);
  }

  private ErrorEventsReport() {}
}
