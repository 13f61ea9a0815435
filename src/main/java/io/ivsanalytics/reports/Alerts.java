package io.ivsanalytics.reports;

import io.ivsanalytics.model.report.Alert;
import io.ivsanalytics.model.report.AlertThresholds;
import io.ivsanalytics.model.report.Rates;
import io.ivsanalytics.model.report.ReportTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Evaluates {@link AlertThresholds} against the takeover and conformance reports (with their
 * previous-window columns): for each row (channel types and ALL), a rate beyond its threshold and a
 * change beyond {@code alert.change.pp.max}, each only when the row's denominator reaches {@code
 * alert.min.samples} (a change: in the window and in the previous window).
 */
final class Alerts {

  static List<Alert> evaluate(
      ReportTable takeover,
      ReportTable prevTakeover,
      ReportTable conformance,
      ReportTable prevConformance,
      AlertThresholds th) {
    List<Alert> out = new ArrayList<>();
    Metric failure =
        new Metric(
            "failure_rate",
            "takeover failure rate",
            "takeover attempts",
            PreviousWindow.TAKEOVER_FAILURES);
    Metric conform =
        new Metric(
            "conformance_rate",
            "bitrate conformance",
            "evaluated video tracks",
            PreviousWindow.CONFORMANT_TRACKS);
    rows(takeover, prevTakeover, failure, th.failureRateMax(), true, th, out);
    rows(conformance, prevConformance, conform, th.conformanceRateMin(), false, th, out);
    return out;
  }

  private record Metric(String column, String name, String unit, PreviousWindow.Counts counts) {}

  private static void rows(
      ReportTable t,
      ReportTable prevTable,
      Metric m,
      Double limit,
      boolean above,
      AlertThresholds th,
      List<Alert> out) {
    Map<Object, Long> prevSamples = new HashMap<>();
    for (List<Object> r : prevTable.rows()) {
      prevSamples.put(r.get(0), m.counts().n(prevTable, r));
    }
    for (List<Object> r : t.rows()) {
      Double rate = (Double) t.cell(r, m.column());
      Double prev = (Double) t.cell(r, "prev_" + m.column());
      long k = m.counts().k(t, r);
      long n = m.counts().n(t, r);
      String type = r.get(0) == null ? "(no channel type)" : r.get(0).toString();
      if (rate == null || n < th.minSamples()) {
        continue;
      }
      if (limit != null && (above ? rate > limit : rate < limit)) {
        out.add(
            new Alert(
                m.column(),
                type,
                rate,
                prev,
                limit,
                n,
                String.format(
                    Locale.ROOT,
                    "%s: %s %s (%s) is %s the %s threshold; previous window %s.",
                    type,
                    m.name(),
                    Rates.pct(rate),
                    Rates.countWithInterval(k, n, m.unit()),
                    above ? "above" : "below",
                    Rates.pct(limit),
                    prev == null ? "no data" : Rates.pct(prev))));
      }
      Double change = (Double) t.cell(r, m.column() + "_change_pp");
      long prevN = prevSamples.getOrDefault(r.get(0), 0L);
      if (th.changePpMax() != null
          && change != null
          && prevN >= th.minSamples()
          && Math.abs(change) > th.changePpMax()) {
        out.add(
            new Alert(
                m.column() + "_change_pp",
                type,
                change,
                prev,
                th.changePpMax(),
                n,
                String.format(
                    Locale.ROOT,
                    "%s: %s %s %.2f pp (%s \u2192 %s over %,d and %,d %s), more than the %s pp"
                        + " threshold.",
                    type,
                    m.name(),
                    change > 0 ? "rose" : "fell",
                    Math.abs(change),
                    Rates.pct(prev),
                    Rates.pct(rate),
                    prevN,
                    n,
                    m.unit(),
                    trim(th.changePpMax()))));
      }
    }
  }

  private static String trim(double v) {
    return v == Math.rint(v)
        ? String.format(Locale.ROOT, "%d", (long) v)
        : String.format(Locale.ROOT, "%s", v);
  }

  private Alerts() {}
}
