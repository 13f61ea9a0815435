package io.ivsanalytics.reports;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
   * @param byTypeThenAll the window's sessions per channel type, then of all types as ALL
   */
  static ReportTable compute(Map<String, SessionFold.TypeSessions> byTypeThenAll) {
    return SessionFold.perType(
        FILE,
        COLUMNS,
        byTypeThenAll,
        g ->
            Arrays.<Object>asList(
                g.sessions,
                g.durations.total(),
                g.live,
                g.durations.percentileDisc(0.5),
                g.durations.percentileDisc(0.9),
                g.durations.percentileDisc(0.99),
                g.durations.max()));
  }

  private SessionDurationReport() {}
}
