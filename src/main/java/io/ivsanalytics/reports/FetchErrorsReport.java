package io.ivsanalytics.reports;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * fetch_errors_by_code.csv: ids the fetch stage could not fetch, per error code, then ALL.
 * fetch_errors rows carry the run date (dt), not a session start: the report counts the rows of the
 * run dates it is given (see {@link ReportStage}).
 */
public final class FetchErrorsReport {
  public static final String FILE = ReportCatalog.FETCH_ERRORS_BY_CODE;
  public static final List<String> COLUMNS = List.of("error_code", "errors", "channels");

  /**
   * @param errors error_code, channel_arn
   */
  public static ReportTable compute(Dataset<Row> errors) {
    Map<String, long[]> byCode = new TreeMap<>(Agg.CHANNEL_TYPE_ORDER);
    for (Row g :
        errors
            .groupBy("error_code")
            .agg(count(lit(1)), countDistinct(col("channel_arn")))
            .collectAsList()) {
      byCode.put(g.getString(0), new long[] {g.getLong(1), g.getLong(2)});
    }
    long total = byCode.values().stream().mapToLong(v -> v[0]).sum();
    long channels =
        byCode.isEmpty() ? 0 : errors.agg(countDistinct(col("channel_arn"))).first().getLong(0);
    List<List<Object>> rows = new ArrayList<>();
    byCode.forEach((code, v) -> rows.add(Arrays.asList(code, v[0], v[1])));
    rows.add(Arrays.asList(Agg.ALL, total, channels));
    return new ReportTable(FILE, COLUMNS, rows);
  }

  private FetchErrorsReport() {}
}
