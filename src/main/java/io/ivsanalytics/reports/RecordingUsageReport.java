package io.ivsanalytics.reports;

import static io.ivsanalytics.reports.Agg.countIf;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

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
   * @param sessions channel_type, recording_configuration_arn, duration_seconds
   */
  public static ReportTable compute(Dataset<Row> sessions) {
    Column arn = col("recording_configuration_arn");
    Column recorded = arn.isNotNull().and(arn.notEqual(""));
    List<List<Object>> rows = new ArrayList<>();
    Agg.rollupByChannelType(
            sessions,
            count(lit(1)),
            countIf(recorded),
            countDistinct(when(recorded, arn)),
            sum(when(recorded, col("duration_seconds"))))
        .forEach(
            (type, g) -> {
              long n = g == null ? 0 : Agg.orZero(g.get(0));
              long rec = g == null ? 0 : Agg.orZero(g.get(1));
              List<Object> r = new ArrayList<>();
              r.add(type);
              r.add(n);
              r.add(rec);
              r.add(Agg.rate(rec, n));
              r.add(g == null ? 0L : Agg.orZero(g.get(2)));
              r.add(g == null ? 0.0 : Agg.orZero(g.get(3)) / 3600.0);
              rows.add(r);
            });
    return new ReportTable(FILE, COLUMNS, rows);
  }

  private RecordingUsageReport() {}
}
