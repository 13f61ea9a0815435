package io.ivsanalytics.reports;

import io.ivsanalytics.model.report.ReportCatalog;
import io.ivsanalytics.model.report.ReportTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * fetch_errors_by_code.csv: ids the fetch stage could not fetch, per error code, then ALL.
 * fetch_errors rows carry the run date (dt), not a session start: the report counts the rows of the
 * run dates it is given (see {@link ReportStage}).
 */
public final class FetchErrorsReport {
  public static final String FILE = ReportCatalog.FETCH_ERRORS_BY_CODE;
  public static final List<String> COLUMNS = List.of("error_code", "errors", "channels");

  /**
   * @param errors the fetch errors per code
   */
  static ReportTable compute(FetchErrorFold errors) {
    Map<String, Tally.OfNames> byCode = new TreeMap<>(Agg.CHANNEL_TYPE_ORDER);
    byCode.putAll(errors.byCode);
    long total = 0;
    Set<String> channels = new HashSet<>();
    List<List<Object>> rows = new ArrayList<>();
    for (Map.Entry<String, Tally.OfNames> e : byCode.entrySet()) {
      Tally.OfNames v = e.getValue();
      rows.add(Arrays.<Object>asList(e.getKey(), v.rows, (long) v.names.size()));
      total += v.rows;
      channels.addAll(v.names);
    }
    rows.add(Arrays.<Object>asList(Agg.ALL, total, (long) channels.size()));
    return new ReportTable(FILE, COLUMNS, rows);
  }

  private FetchErrorsReport() {}
}
