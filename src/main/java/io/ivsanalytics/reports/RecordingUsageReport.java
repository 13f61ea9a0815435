package io.ivsanalytics.reports;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * recording_usage.csv: per channel type, then ALL: how many sessions were recorded to S3 (the
 * channel had a recording configuration), with how many distinct configurations, and the hours of
 * recorded sessions that had ended.
 */
public final class RecordingUsageReport {
  public static final String FILE = ReportCatalog.RECORDING_USAGE;
  public static final List<String> COLUMNS =
      List.of(
          "channel_type",
          "sessions",
          "recorded_sessions",
          "recording_rate",
          "recording_configurations",
          "recorded_hours");

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
                g.recorded,
                Agg.rate(g.recorded, g.sessions),
                (long) g.recordingConfigurations.size(),
                g.recordedSeconds / 3600.0));
  }

  private RecordingUsageReport() {}
}
