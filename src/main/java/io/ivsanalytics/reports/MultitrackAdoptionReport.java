package io.ivsanalytics.reports;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
                g.multitrackEnabled,
                g.multitrackRequired,
                g.multitrackSessions,
                Agg.rate(g.multitrackSessions, g.sessions),
                g.maxVideoTracks == null ? null : (Object) g.maxVideoTracks.longValue()));
  }

  private MultitrackAdoptionReport() {}
}
