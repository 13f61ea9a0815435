package io.ivsanalytics.reports;

import static io.ivsanalytics.reports.Agg.countIf;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import io.ivsanalytics.model.report.Wilson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * takeover_failures_by_channel.csv: the channels with the most stream takeover failures in the
 * window (at most {@link #LIMIT}, only channels with at least one failure), most failures first
 * (then most attempts, then ARN): name and type of the channel's latest session, attempts,
 * failures, failure_rate with its Wilson 95 % interval, and the most frequent failure code (ties:
 * the code first in alphabetical order, a missing code last; empty only when failures without a
 * code are strictly the most frequent).
 */
public final class TakeoverFailuresByChannelReport {
  public static final String FILE = ReportCatalog.TAKEOVER_FAILURES_BY_CHANNEL;
  public static final int LIMIT = 20;
  public static final List<String> COLUMNS =
      List.of(
          "channel_arn",
          "channel_name",
          "channel_type",
          "attempts",
          "failures",
          "failure_rate",
          "failure_rate_ci_low",
          "failure_rate_ci_high",
          "top_failure_code");

  /**
   * @param sessions sessions of the window: channel_arn, channel_name, channel_type, start_time
   * @param events events of the window: channel_arn, channel_type, name, code
   */
  public static ReportTable compute(Dataset<Row> sessions, Dataset<Row> events) {
    Column failure = col("name").equalTo(TakeoverFailureReport.TAKEOVER_FAILURE);
    Dataset<Row> takeovers =
        events.where(
            col("name")
                .isin(TakeoverFailureReport.TAKEOVER, TakeoverFailureReport.TAKEOVER_FAILURE));
    List<Row> top =
        takeovers
            .groupBy("channel_arn")
            .agg(
                count(lit(1)).as("attempts"),
                countIf(failure).as("failures"),
                org.apache.spark.sql.functions.max(col("channel_type")))
            .where(col("failures").gt(0))
            .orderBy(
                col("failures").desc(), col("attempts").desc(), col("channel_arn").asc_nulls_last())
            .limit(LIMIT)
            .collectAsList();
    if (top.isEmpty()) {
      return new ReportTable(FILE, COLUMNS, List.of());
    }
    Object[] arns = top.stream().map(r -> r.getString(0)).toArray();
    Map<String, String[]> latest = new HashMap<>();
    for (Row r :
        sessions
            .where(col("channel_arn").isin(arns))
            .groupBy("channel_arn")
            .agg(
                max_by(col("channel_name"), col("start_time")),
                max_by(col("channel_type"), col("start_time")))
            .collectAsList()) {
      latest.put(r.getString(0), new String[] {r.getString(1), r.getString(2)});
    }
    Map<String, Map<String, Long>> codes = new HashMap<>();
    for (Row r :
        takeovers
            .where(failure.and(col("channel_arn").isin(arns)))
            .groupBy("channel_arn", "code")
            .count()
            .collectAsList()) {
      codes.computeIfAbsent(r.getString(0), k -> new HashMap<>()).put(r.getString(1), r.getLong(2));
    }
    List<List<Object>> rows = new ArrayList<>();
    for (Row r : top) {
      String arn = r.getString(0);
      long attempts = r.getLong(1);
      long failures = r.getLong(2);
      String[] nameType = latest.getOrDefault(arn, new String[] {null, r.getString(3)});
      double[] ci = Wilson.interval(failures, attempts);
      List<Object> out = new ArrayList<>();
      out.add(arn);
      out.add(nameType[0]);
      out.add(nameType[1]);
      out.add(attempts);
      out.add(failures);
      out.add(Agg.rate(failures, attempts));
      out.add(ci[0]);
      out.add(ci[1]);
      out.add(topCode(codes.getOrDefault(arn, Map.of())));
      rows.add(out);
    }
    return new ReportTable(FILE, COLUMNS, rows);
  }

  /** The most frequent code; ties go to the alphabetically first, a missing code sorts last. */
  static String topCode(Map<String, Long> counts) {
    return counts.entrySet().stream()
        .sorted(
            Map.Entry.<String, Long>comparingByValue()
                .reversed()
                .thenComparing(
                    Map.Entry.comparingByKey(Comparator.nullsLast(Comparator.naturalOrder()))))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(null);
  }

  private TakeoverFailuresByChannelReport() {}
}
