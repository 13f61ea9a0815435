package io.ivsanalytics.reports;

import io.ivsanalytics.model.report.ReportTable;
import io.ivsanalytics.model.report.Wilson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The decision columns appended to a rate report: the rate's Wilson 95 % interval over its own
 * denominator, the same rate over the previous window for the row's channel type, and the change in
 * percentage points. Column names follow the rate: {@code <rate>_ci_low, <rate>_ci_high,
 * prev_<rate>, <rate>_change_pp}.
 */
final class PreviousWindow {

  /** The numerator (k) and denominator (n) of a row's rate. */
  interface Counts {
    long k(ReportTable table, List<Object> row);

    long n(ReportTable table, List<Object> row);
  }

  static final Counts TAKEOVER_FAILURES =
      new Counts() {
        @Override
        public long k(ReportTable t, List<Object> r) {
          return t.longCell(r, "takeover_failures");
        }

        @Override
        public long n(ReportTable t, List<Object> r) {
          return t.longCell(r, "takeover_attempts");
        }
      };

  static final Counts CONFORMANT_TRACKS =
      new Counts() {
        @Override
        public long k(ReportTable t, List<Object> r) {
          return t.longCell(r, "conformant_tracks");
        }

        @Override
        public long n(ReportTable t, List<Object> r) {
          return BitrateConformanceReport.evaluatedTracks(t, r);
        }
      };

  static List<String> columns(String rate) {
    return List.of(rate + "_ci_low", rate + "_ci_high", "prev_" + rate, rate + "_change_pp");
  }

  /**
   * {@code current} with the four columns of {@code rate} appended, compared with {@code previous}.
   */
  static ReportTable append(ReportTable current, ReportTable previous, String rate, Counts counts) {
    Map<Object, Double> prevRates = new HashMap<>();
    for (List<Object> r : previous.rows()) {
      prevRates.put(r.get(0), (Double) previous.cell(r, rate));
    }
    List<String> columns = new ArrayList<>(current.columns());
    columns.addAll(columns(rate));
    List<List<Object>> rows = new ArrayList<>();
    for (List<Object> r : current.rows()) {
      List<Object> out = new ArrayList<>(r);
      double[] ci = Wilson.interval(counts.k(current, r), counts.n(current, r));
      Double now = (Double) current.cell(r, rate);
      Double prev = prevRates.get(r.get(0));
      out.add(ci == null ? null : ci[0]);
      out.add(ci == null ? null : ci[1]);
      out.add(prev);
      out.add(now == null || prev == null ? null : (now - prev) * 100);
      rows.add(out);
    }
    return new ReportTable(current.fileName(), columns, rows);
  }

  private PreviousWindow() {}
}
