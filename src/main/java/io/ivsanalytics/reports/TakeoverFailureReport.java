package io.ivsanalytics.reports;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * takeover_failure_rates.csv: per channel type, then ALL. Successes are events named {@code Stream
 * Takeover}, failures {@code Stream Takeover Failure}; failures are split by code.
 */
public final class TakeoverFailureReport {
  public static final String FILE = ReportCatalog.TAKEOVER_FAILURE_RATES;
  public static final String TAKEOVER = "Stream Takeover";
  public static final String TAKEOVER_FAILURE = "Stream Takeover Failure";
  static final String INVALID_PRIORITY = "StreamTakeoverInvalidPriority";
  static final String MEDIA_MISMATCH = "StreamTakeoverMediaMismatch";
  static final String LIMIT_BREACHED = "StreamTakeoverLimitBreached";

  public static final List<String> COLUMNS =
      List.of(
          "channel_type",
          "sessions",
          "sessions_with_takeover",
          "takeover_attempts",
          "takeover_successes",
          "takeover_failures",
          "failure_rate",
          "invalid_priority",
          "media_mismatch",
          "limit_breached",
          "other_failure_code");

  /**
   * @param sessions sessions per channel type of the window
   * @param takeovers takeover events per channel type of the window
   */
  static ReportTable compute(
      Map<String, Long> sessions, Map<String, EventFold.Takeovers> takeovers) {
    TreeSet<String> types = new TreeSet<>(Agg.CHANNEL_TYPE_ORDER);
    types.addAll(sessions.keySet());
    types.addAll(takeovers.keySet());
    List<List<Object>> rows = new ArrayList<>();
    long[] total = new long[7];
    for (String type : types) {
      long[] v = new long[7];
      v[0] = sessions.getOrDefault(type, 0L);
      EventFold.Takeovers t = takeovers.get(type);
      if (t != null) {
        v[1] = t.sessions.size();
        v[2] = t.successes;
        v[3] = t.failures;
        v[4] = t.invalidPriority;
        v[5] = t.mediaMismatch;
        v[6] = t.limitBreached;
      }
      for (int i = 0; i < 7; i++) {
        total[i] += v[i];
      }
      rows.add(row(type, v));
    }
    rows.add(row(Agg.ALL, total));
    return new ReportTable(FILE, COLUMNS, rows);
  }

  /**
   * v = sessions, sessions_with_takeover, successes, failures, then three known failure codes;
   * other_failure_code is every other failure (unknown or missing code).
   */
  private static List<Object> row(String type, long[] v) {
    long attempts = v[2] + v[3];
    List<Object> r = new ArrayList<>();
    r.add(type);
    r.add(v[0]);
    r.add(v[1]);
    r.add(attempts);
    r.add(v[2]);
    r.add(v[3]);
    r.add(Agg.rate(v[3], attempts));
    r.add(v[4]);
    r.add(v[5]);
    r.add(v[6]);
    r.add(v[3] - v[4] - v[5] - v[6]);
    return r;
  }

  private TakeoverFailureReport() {}
}
