package io.ivsanalytics.model.report;

/**
 * The report folder's file names (the report stage names its tables with them, the writers and the
 * HTML page find the tables by them) and the span of the weekly trend.
 */
public final class ReportCatalog {
  public static final String BITRATE_CONFORMANCE = "bitrate_conformance.csv";
  public static final String CODEC_DISTRIBUTION = "codec_distribution.csv";
  public static final String DAILY_SESSIONS = "daily_sessions.csv";
  public static final String ERROR_EVENTS = "error_events.csv";
  public static final String FETCH_ERRORS_BY_CODE = "fetch_errors_by_code.csv";
  public static final String MULTITRACK_ADOPTION = "multitrack_adoption.csv";
  public static final String NONCONFORMANT_ENCODERS = "nonconformant_encoders.csv";
  public static final String RECORDING_USAGE = "recording_usage.csv";
  public static final String SESSION_DURATION_PERCENTILES = "session_duration_percentiles.csv";
  public static final String TAKEOVER_FAILURE_RATES = "takeover_failure_rates.csv";
  public static final String TAKEOVER_FAILURES_BY_CHANNEL = "takeover_failures_by_channel.csv";
  public static final String TOP_CHANNELS = "top_channels.csv";
  public static final String WEEKLY_TRENDS = "weekly_trends.csv";

  /** The self-contained HTML page of a report folder. */
  public static final String HTML = "report.html";

  /** Weeks in the weekly trend, ending with the week of the window's last day. */
  public static final int TREND_WEEKS = 12;

  private ReportCatalog() {}
}
