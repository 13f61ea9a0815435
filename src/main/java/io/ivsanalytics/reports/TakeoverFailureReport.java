package io.ivsanalytics.reports;

import static io.ivsanalytics.reports.Agg.countIf;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

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
   * @param sessions sessions of the window: {@code channel_type}
   * @param events events of the window: {@code channel_type, channel_arn, stream_id, name, code}
   */
  public static ReportTable compute(Dataset<Row> sessions, Dataset<Row> events) {
    Map<String, Row> sessionCounts =
        Agg.byChannelType(sessions.groupBy("channel_type").agg(count(lit(1))));
    Column failure = col("name").equalTo(TAKEOVER_FAILURE);
    Column code = col("code");
    Map<String, Row> takeovers =
        Agg.byChannelType(
            events
                .where(col("name").isin(TAKEOVER, TAKEOVER_FAILURE))
                .groupBy("channel_type")
                .agg(
                    countDistinct(col("channel_arn"), col("stream_id")),
                    countIf(col("name").equalTo(TAKEOVER)),
                    countIf(failure),
                    countIf(failure.and(code.equalTo(INVALID_PRIORITY))),
                    countIf(failure.and(code.equalTo(MEDIA_MISMATCH))),
                    countIf(failure.and(code.equalTo(LIMIT_BREACHED)))));

    TreeSet<String> types = new TreeSet<>(Agg.CHANNEL_TYPE_ORDER);
    types.addAll(sessionCounts.keySet());
    types.addAll(takeovers.keySet());
    List<List<Object>> rows = new ArrayList<>();
    long[] total = new long[7];
    for (String type : types) {
      long[] v = new long[7];
      Row s = sessionCounts.get(type);
      v[0] = s == null ? 0 : s.getLong(1);
      Row t = takeovers.get(type);
      for (int i = 1; i < 7 && t != null; i++) {
        v[i] = Agg.orZero(t.get(i));
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
